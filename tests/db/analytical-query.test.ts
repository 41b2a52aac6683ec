import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticalQuery } from "../../lib/queries/analytical-query";
import {
  createTestDatabase,
  describeOnPostgres,
  ENGINES,
  POSTGRES_URL,
  type TestDatabase,
} from "../helpers/test-db";

/** The planner settings a statement ran with, read inside the statement itself. */
const SETTINGS = sql`select current_setting('jit') as jit, current_setting('work_mem') as work_mem,
  current_setting('parallel_setup_cost') as parallel_setup_cost,
  current_setting('parallel_tuple_cost') as parallel_tuple_cost,
  current_setting('enable_hashagg') as enable_hashagg, ${"param"}::text as param`;

describe.each(ENGINES)("analyticalQuery on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)("runs each statement with the settings it asks for, and only those", async () => {
    const plain = await analyticalQuery<Record<string, string>>(t.db, SETTINGS);
    expect(plain[0]).toMatchObject({ jit: "off", work_mem: "64MB", enable_hashagg: "on", param: "param" });
    expect(plain[0]?.parallel_setup_cost).not.toBe("0");

    const parallel = await analyticalQuery<Record<string, string>>(t.db, SETTINGS, { parallel: true });
    expect(parallel[0]).toMatchObject({
      jit: "off",
      work_mem: "64MB",
      parallel_setup_cost: "0",
      parallel_tuple_cost: "0",
      enable_hashagg: "on",
    });

    const sorted = await analyticalQuery<Record<string, string>>(t.db, SETTINGS, {
      parallel: true,
      sortedGroups: true,
    });
    expect(sorted[0]).toMatchObject({ parallel_setup_cost: "0", enable_hashagg: "off" });

    // Nothing carries over to the statements that follow on the same database.
    const after = await analyticalQuery<Record<string, string>>(t.db, SETTINGS);
    expect(after[0]).toMatchObject({ enable_hashagg: "on" });
    expect(after[0]?.parallel_setup_cost).not.toBe("0");
  });
});

// Only a PostgreSQL server can end a connection under a statement (PGlite runs in this process).
describeOnPostgres("analyticalQuery", (current) => {
  it.skipIf(!POSTGRES_URL)(
    "fails the statement, not the process, when the server ends its connection",
    async () => {
      const t = current();
      // postgres.js 3.4 crashes the process with an uncaught TypeError when a backend dies inside a
      // transaction (porsager/postgres#1208); vitest reports such an error and fails the run.
      const killer = postgres(t.url as string, { max: 1, onnotice: () => {} });
      try {
        for (const options of [{}, { parallel: true }, { parallel: true, sortedGroups: true }]) {
          const running = analyticalQuery(t.db, sql`select pg_sleep(5), ${"sleeping"}::text as why`, options);
          const outcome = running.then(
            () => "resolved",
            (e: Error) => e.message,
          );
          let killed = 0;
          for (let i = 0; i < 50 && killed === 0; i++) {
            await new Promise((r) => setTimeout(r, 100));
            const rows = await killer`select pg_terminate_backend(pid) as ok from pg_stat_activity
              where query like ${`%pg_sleep(5)%`} and pid <> pg_backend_pid() and datname = current_database()`;
            killed = rows.filter((r) => r.ok).length;
          }
          expect(killed).toBe(1);
          expect(await outcome).toMatch(/Failed query/);
          // Give a deferred write on the dead socket time to throw, then use the pool again.
          await new Promise((r) => setTimeout(r, 200));
          const again = await analyticalQuery<{ n: number }>(t.db, sql`select 1::int as n`, options);
          expect(again).toEqual([{ n: 1 }]);
        }
      } finally {
        await killer.end();
      }
    },
    30_000,
  );
});
