import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/rows";
import { importRuns } from "../../db/schema/ingest";
import { generateDemo } from "../../db/seed/demo-data";
import { loadDemo } from "../../ingest/demo";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";

const options = { end: new Date("2026-11-23T00:00:00Z"), days: 14, seed: 7 };

describe.each(ENGINES)("demo data through the ingest pipeline on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)("stores exactly what the generator produced, recorded as demo runs", async () => {
    const data = generateDemo(options);
    const result = await loadDemo(t.db, options);
    expect(result.products.map((p) => p.slug).sort()).toEqual(data.products.map((p) => p.slug).sort());

    for (const product of data.products) {
      const generated = [...data.events(product.slug)].length;
      const [row] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from events e join products p on p.id = e.product_id
            where p.slug = ${product.slug} and e.source = 'demo'`,
      );
      expect(row?.n).toBe(generated);
      const loaded = result.products.find((p) => p.slug === product.slug);
      expect(loaded?.events).toMatchObject({ read: generated, inserted: generated, rejected: 0 });
      expect(loaded?.surveys.inserted).toBe([...data.surveys(product.slug)].length);
      expect(loaded?.mentions.inserted).toBe([...data.mentions(product.slug)].length);
    }

    const runs = await t.db.select().from(importRuns).where(eq(importRuns.kind, "demo"));
    expect(runs.length).toBeGreaterThanOrEqual(data.products.length * 3);
    expect(runs.every((r) => r.status === "succeeded")).toBe(true);

    const [features] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from features`);
    expect(features?.n).toBeGreaterThanOrEqual(15);
    const [identities] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from identities`);
    expect(identities?.n).toBeGreaterThan(0);
  });

  it.skipIf(skip)("adds nothing when loaded again", async () => {
    const before = await queryRows<{
      events: number;
      surveys: number;
      mentions: number;
      annotations: number;
    }>(
      t.db,
      sql`select (select count(*)::int from events) as events, (select count(*)::int from survey_responses) as surveys,
                 (select count(*)::int from mentions) as mentions, (select count(*)::int from annotations) as annotations`,
    );
    const again = await loadDemo(t.db, options);
    for (const p of again.products) {
      expect(p.events.inserted + p.surveys.inserted + p.mentions.inserted).toBe(0);
      expect(p.events.duplicates).toBe(p.events.read);
    }
    const after = await queryRows(
      t.db,
      sql`select (select count(*)::int from events) as events, (select count(*)::int from survey_responses) as surveys,
                 (select count(*)::int from mentions) as mentions, (select count(*)::int from annotations) as annotations`,
    );
    expect(after).toEqual(before);
  });
});
