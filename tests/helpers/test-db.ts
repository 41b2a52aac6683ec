import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe } from "vitest";
import { createPglite, type Db, type Engine, openPostgres } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";

export type TestEngine = "pglite" | "postgres";

export interface TestDatabase {
  engine: TestEngine;
  db: Db;
  /** Connection URL (postgres only), for starting processes on the same database. */
  url?: string;
  close(): Promise<void>;
}

export const POSTGRES_URL = process.env.TEST_DATABASE_URL;

/**
 * The engines database tests run on: PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set. The PostgreSQL entry is kept (and reported as
 * skipped, with how to enable it) when it is not, so nothing skips silently.
 */
export const ENGINES: { engine: TestEngine; skip: boolean; label: string }[] = [
  { engine: "pglite", skip: false, label: "pglite" },
  {
    engine: "postgres",
    skip: !POSTGRES_URL,
    label: POSTGRES_URL ? "postgres" : "postgres (skipped: set TEST_DATABASE_URL=postgres://... to run)",
  },
];

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, empty PostgreSQL database for one test file; dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!POSTGRES_URL) throw new Error("TEST_DATABASE_URL is not set");
  const name = `ns_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  return {
    url: withDatabase(POSTGRES_URL, name),
    async drop() {
      const a = postgres(POSTGRES_URL as string, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/** A fresh database with the committed migrations applied, on the given engine. */
export async function createTestDatabase(engine: TestEngine): Promise<TestDatabase> {
  if (engine === "pglite") {
    const { pglite, db } = await createPglite();
    await migrateDatabase(db, "pglite");
    return { engine, db, close: () => pglite.close() };
  }
  const pg = await createPostgresDatabase();
  const handle = await openPostgres(pg.url, 5);
  await migrateDatabase(handle.db, "postgres" as Engine);
  return {
    engine,
    db: handle.db,
    url: pg.url,
    async close() {
      await handle.close();
      await pg.drop();
    },
  };
}

/**
 * A describe block for what only a PostgreSQL server shows (other sessions,
 * connections the server ends): its own fresh database, or, without
 * TEST_DATABASE_URL, a title that says how to run it (its tests use
 * `it.skipIf(!POSTGRES_URL)`). `current()` is the database inside the tests.
 */
export function describeOnPostgres(name: string, body: (current: () => TestDatabase) => void): void {
  const where = POSTGRES_URL ? "postgres" : "postgres (skipped: set TEST_DATABASE_URL=postgres://... to run)";
  describe(`${name} on ${where}`, () => {
    let t: TestDatabase | undefined;
    beforeAll(async () => {
      if (POSTGRES_URL) t = await createTestDatabase("postgres");
    });
    afterAll(async () => {
      await t?.close();
    });
    body(() => t as TestDatabase);
  });
}
