import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAppliedMigrations, migrateDatabase } from "../../db/migrate";
import { queryRows } from "../../db/rows";
import { rebuildEventRollups } from "../../lib/queries/rollups";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";

const EXPECTED_TABLES = [
  "actor_key_first_days",
  "annotations",
  "api_keys",
  "event_actor_days",
  "event_key_first_days",
  "events",
  "features",
  "identities",
  "import_runs",
  "imported_daily_stats",
  "kpi_targets",
  "memberships",
  "mentions",
  "products",
  "rejected_rows",
  "saved_funnels",
  "session_pieces",
  "sessions",
  "sources",
  "survey_responses",
  "themes",
  "users",
];

describe.each(ENGINES)("committed migrations on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)("create every table of the domain", async () => {
    const rows = await queryRows<{ table_name: string }>(
      t.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(EXPECTED_TABLES);
  });

  it.skipIf(skip)("give every product-data table a product_id column", async () => {
    const rows = await queryRows<{ table_name: string }>(
      t.db,
      sql`select table_name from information_schema.columns
          where table_schema = 'public' and column_name = 'product_id' order by table_name`,
    );
    const withProduct = rows.map((r) => r.table_name);
    for (const table of EXPECTED_TABLES.filter((n) => !["products", "users", "sessions"].includes(n))) {
      expect(withProduct).toContain(table);
    }
  });

  it.skipIf(skip)("are recorded and apply only once", async () => {
    const before = await countAppliedMigrations(t.db);
    expect(before).toBeGreaterThan(0);
    await migrateDatabase(t.db, engine);
    expect(await countAppliedMigrations(t.db)).toBe(before);
  });

  it.skipIf(skip)("make message ids unique per product, not globally", async () => {
    await t.db.execute(sql`insert into products (slug, name) values ('p1', 'P1'), ('p2', 'P2')`);
    const insert = (product: string) =>
      t.db.execute(sql`insert into events (product_id, message_id, timestamp, event, source)
        select id, 'same-id', now(), 'x', 'test' from products where slug = ${product}`);
    await insert("p1");
    await insert("p2");
    await expect(insert("p1")).rejects.toThrow();
  });

  it.skipIf(skip)("backfill session pieces from the events stored before 0002", async () => {
    await t.db.execute(
      sql`insert into products (slug, name, timezone) values ('bf', 'Backfill', 'Asia/Tokyo')`,
    );
    // Two visits of one key 20 minutes apart, one 45 minutes later, one identify (not activity).
    await t.db.execute(sql`insert into events (product_id, message_id, timestamp, event, type, anonymous_id, source)
      select id, m, ts::timestamptz, e, ty, 'a1', 'test' from products,
        (values ('m1', '2026-03-01T10:00:00Z', 'pageview', 'page'), ('m2', '2026-03-01T10:20:00Z', 'x', 'track'),
                ('m3', '2026-03-01T11:05:00Z', 'pageview', 'page'), ('m4', '2026-03-01T11:06:00Z', 'identify', 'identify'))
        as v(m, ts, e, ty)
      where slug = 'bf'`);
    const file = readFileSync(
      new URL("../../db/migrations/0002_session_pieces.sql", import.meta.url),
      "utf8",
    );
    const backfill = file
      .split("--> statement-breakpoint")
      .find((s) => s.includes('INSERT INTO "session_pieces"'));
    expect(backfill).toBeDefined();
    // 0002's rows have no person yet (0007 adds and backfills it): as the schema stood then.
    await t.db.execute(sql`alter table session_pieces alter column actor drop not null`);
    await t.db.execute(sql.raw(backfill as string));
    // 0007: a1 was identified as u1 meanwhile; its pieces get u1 as their person.
    await t.db.execute(sql`insert into identities (product_id, anonymous_id, user_id, linked_at, pending)
      select id, 'a1', 'u1', now(), false from products where slug = 'bf'`);
    const actors = readFileSync(new URL("../../db/migrations/0007_piece_actor.sql", import.meta.url), "utf8")
      .split("--> statement-breakpoint")
      .find((s) => s.includes('UPDATE "session_pieces"'));
    expect(actors).toBeDefined();
    await t.db.execute(sql.raw(actors as string));
    await t.db.execute(sql`alter table session_pieces alter column actor set not null`);
    const pieces = await queryRows<{
      day: string;
      events: number;
      pageviews: number;
      compacted: boolean;
      actor: string;
    }>(
      t.db,
      sql`select day::text, events, pageviews, compacted, actor from session_pieces s join products p on p.id = s.product_id
          where p.slug = 'bf' order by start_at`,
    );
    expect(pieces).toEqual([
      { day: "2026-03-01", events: 2, pageviews: 1, compacted: true, actor: "u1" },
      { day: "2026-03-01", events: 1, pageviews: 1, compacted: true, actor: "u1" },
    ]);
  });

  it.skipIf(skip)(
    "backfill 0004's first event times and 12-week masks, and 0008's persons, as a rebuild computes them",
    async () => {
      await t.db.execute(
        sql`insert into products (slug, name, timezone, week_start) values ('bf4', 'Backfill 4', 'Asia/Tokyo', 'sunday')`,
      );
      // Three keys over 20 weeks, some events just after local midnight, one identify (not activity).
      await t.db.execute(sql`insert into events (product_id, message_id, timestamp, event, type, user_id, anonymous_id, source)
      select p.id, 'm' || g, timestamptz '2026-01-03T15:30:00Z' + (g * 37 % 140) * interval '1 day' + (g % 5) * interval '1 hour',
        case when g % 3 = 0 then 'pageview' else 'x' end, case when g % 3 = 0 then 'page' else 'track' end,
        case when g % 4 = 0 then 'u' || (g % 2) end, 'a' || (g % 3), 'test'
      from products p, generate_series(1, 60) g where p.slug = 'bf4'`);
      await t.db.execute(sql`insert into events (product_id, message_id, timestamp, event, type, user_id, anonymous_id, source)
      select id, 'id1', timestamptz '2026-02-01T00:00:00Z', 'identify', 'identify', 'u1', 'a1', 'test' from products where slug = 'bf4'`);
      const file = readFileSync(
        new URL("../../db/migrations/0004_retention_weeks_funnel_entries.sql", import.meta.url),
        "utf8",
      );
      const backfill = file
        .split("--> statement-breakpoint")
        .filter((s) => /^\s*(--[^\n]*\n\s*)*(DELETE|INSERT)/.test(s));
      expect(backfill).toHaveLength(4);
      // a1 is linked to u1: 0008 gives its rows u1 as their person.
      await t.db.execute(sql`insert into identities (product_id, anonymous_id, user_id, linked_at, pending)
        select id, 'a1', 'u1', now(), false from products where slug = 'bf4'`);
      const tables = ["event_actor_days", "actor_key_first_days"];
      for (const table of tables)
        await t.db.execute(sql`alter table ${sql.identifier(table)} alter column actor drop not null`);
      for (const statement of backfill) await t.db.execute(sql.raw(statement));
      const actors = readFileSync(
        new URL("../../db/migrations/0008_rollup_actors.sql", import.meta.url),
        "utf8",
      )
        .split("--> statement-breakpoint")
        .filter((s) => tables.some((table) => s.includes(`UPDATE "${table}"`)));
      expect(actors).toHaveLength(2);
      for (const statement of actors) await t.db.execute(sql.raw(statement));
      for (const table of tables)
        await t.db.execute(sql`alter table ${sql.identifier(table)} alter column actor set not null`);
      const dump = async () => ({
        days: await queryRows(
          t.db,
          sql`select r.day::text, r.event, r.user_id, r.anonymous_id, r.events, r.pageviews, r.first_at::text, r.actor
            from event_actor_days r join products p on p.id = r.product_id where p.slug = 'bf4' order by 1, 2, 3, 4`,
        ),
        firsts: await queryRows<{ weeks_monday: number; weeks_sunday: number }>(
          t.db,
          sql`select f.user_id, f.anonymous_id, f.first_day::text, f.weeks_monday, f.weeks_sunday, f.actor
            from actor_key_first_days f join products p on p.id = f.product_id where p.slug = 'bf4' order by 1, 2`,
        ),
      });
      const migrated = await dump();
      expect(migrated.days.length).toBeGreaterThan(30);
      const persons = (migrated.days as { user_id: string; anonymous_id: string; actor: string }[]).map(
        (d) => `${d.user_id}/${d.anonymous_id}=${d.actor}`,
      );
      expect(new Set(persons)).toEqual(new Set(["u0/=u0", "/a0=a0", "/a1=u1", "/a2=a2"]));
      expect(migrated.firsts.some((f) => Number(f.weeks_monday) > 1 && Number(f.weeks_sunday) > 1)).toBe(
        true,
      );
      const [product] = await queryRows<{ id: number }>(
        t.db,
        sql`select id from products where slug = 'bf4'`,
      );
      await rebuildEventRollups(t.db, Number(product?.id));
      expect(await dump()).toEqual(migrated);
    },
  );

  it.skipIf(skip)(
    "backfill 0006's first day per key and event, and 0008's persons, as a rebuild computes them",
    async () => {
      await t.db.execute(
        sql`insert into products (slug, name, timezone) values ('bf6', 'Backfill 6', 'America/Los_Angeles')`,
      );
      // Four event names of two keys over 40 days, some just before local midnight; an identify is not use.
      await t.db.execute(sql`insert into events (product_id, message_id, timestamp, event, type, user_id, anonymous_id, source)
      select p.id, 'm' || g, timestamptz '2026-03-01T07:30:00Z' + (g * 13 % 40) * interval '1 day' - (g % 2) * interval '1 hour',
        'e' || (g % 4), 'track', case when g % 5 = 0 then 'u1' end, 'a' || (g % 2), 'test'
      from products p, generate_series(1, 50) g where p.slug = 'bf6'`);
      await t.db.execute(sql`insert into events (product_id, message_id, timestamp, event, type, user_id, anonymous_id, source)
      select id, 'id1', timestamptz '2026-02-01T00:00:00Z', 'identify', 'identify', 'u1', 'a1', 'test' from products where slug = 'bf6'`);
      const [product] = await queryRows<{ id: number }>(
        t.db,
        sql`select id from products where slug = 'bf6'`,
      );
      const id = Number(product?.id);
      // a1 is linked to u1: 0008 gives its first uses u1 as their person.
      await t.db.execute(sql`insert into identities (product_id, anonymous_id, user_id, linked_at, pending)
      values (${id}, 'a1', 'u1', now(), false)`);
      // The rollups as 0005 left them: event_actor_days filled, event_key_first_days not yet.
      await rebuildEventRollups(t.db, id);
      const dump = () =>
        queryRows<{ user_id: string; anonymous_id: string; actor: string }>(
          t.db,
          sql`select user_id, anonymous_id, event, first_day::text, actor from event_key_first_days
            where product_id = ${id} order by 1, 2, 3`,
        );
      const rebuilt = await dump();
      expect(rebuilt.length).toBeGreaterThanOrEqual(8);
      expect(rebuilt.some((r) => (r as unknown as { event: string }).event === "identify")).toBe(false);
      // The backfill fills the whole table, as it runs in the migration.
      await t.db.execute(sql`delete from event_key_first_days`);
      const file = readFileSync(
        new URL("../../db/migrations/0006_event_key_first_days.sql", import.meta.url),
        "utf8",
      );
      const backfill = file
        .split("--> statement-breakpoint")
        .filter((s) => /^\s*(--[^\n]*\n\s*)*INSERT/.test(s));
      expect(backfill).toHaveLength(1);
      await t.db.execute(sql`alter table event_key_first_days alter column actor drop not null`);
      await t.db.execute(sql.raw(backfill[0] as string));
      const actors = readFileSync(
        new URL("../../db/migrations/0008_rollup_actors.sql", import.meta.url),
        "utf8",
      )
        .split("--> statement-breakpoint")
        .find((s) => s.includes('UPDATE "event_key_first_days"'));
      expect(actors).toBeDefined();
      await t.db.execute(sql.raw(actors as string));
      await t.db.execute(sql`alter table event_key_first_days alter column actor set not null`);
      expect(await dump()).toEqual(rebuilt);
      expect(new Set(rebuilt.map((r) => `${r.user_id}/${r.anonymous_id}=${r.actor}`))).toEqual(
        new Set(["u1/=u1", "/a0=a0", "/a1=u1"]),
      );
    },
  );
});
