import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mentions, surveyResponses } from "../../db/schema/feedback";
import { features, themes } from "../../db/schema/products";
import { reenrichProduct } from "../../ingest/enrich";
import type { IngestItem } from "../../ingest/normalized";
import { runIngest } from "../../ingest/pipeline";
import { createProduct } from "../../lib/queries/products";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";

const now = new Date("2026-11-27T12:00:00Z");
const at = new Date("2026-11-20T10:00:00Z");

describe.each(ENGINES)("enrichment at ingest on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  let productId: number;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(engine);
    productId = (
      await createProduct(t.db, { slug: "app", name: "App", timezone: "UTC", weekStart: "monday" })
    ).id;
    await t.db.insert(themes).values({ productId, name: "pricing", keywords: ["price", "pricing"] });
    await t.db
      .insert(features)
      .values({ productId, key: "export", name: "CSV export", keywords: ["export", "csv"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)("scores, tags and links comments and mentions as they are stored", async () => {
    const items: IngestItem[] = [
      {
        kind: "survey",
        value: {
          externalId: "r1:nps",
          submittedAt: at,
          questionKind: "nps",
          score: 3,
          scaleMin: 0,
          scaleMax: 10,
          comment: "The CSV export is not good and the price is too high.",
        },
      },
      {
        kind: "survey",
        value: {
          externalId: "r2:nps",
          submittedAt: at,
          questionKind: "nps",
          score: 10,
          scaleMin: 0,
          scaleMax: 10,
        },
      },
      {
        kind: "mention",
        value: { externalId: "hn-1", createdAt: at, title: "Love the new exports", body: "Great work!" },
      },
    ];
    await runIngest(t.db, { productId, kind: "import", format: "test" }, items, { now });
    const rows = await t.db
      .select({
        id: surveyResponses.externalId,
        sentiment: surveyResponses.sentiment,
        themes: surveyResponses.themes,
        features: surveyResponses.featureKeys,
      })
      .from(surveyResponses)
      .where(eq(surveyResponses.productId, productId))
      .orderBy(surveyResponses.externalId);
    expect(rows[0]).toMatchObject({ id: "r1:nps", themes: ["pricing"], features: ["export"] });
    expect(rows[0]?.sentiment).toBeLessThan(0);
    expect(rows[1]).toMatchObject({ id: "r2:nps", sentiment: null, themes: [], features: [] });

    const [mention] = await t.db.select().from(mentions).where(eq(mentions.productId, productId));
    expect(mention?.sentiment).toBeGreaterThan(0);
    expect(mention?.featureKeys).toEqual(["export"]);
  });

  it.skipIf(skip)("re-scores everything when keywords change", async () => {
    await t.db
      .update(themes)
      .set({ keywords: ["export"] })
      .where(eq(themes.productId, productId));
    const result = await reenrichProduct(t.db, productId);
    expect(result).toEqual({ surveys: 2, mentions: 1 });
    const [r1] = await t.db.select().from(surveyResponses).where(eq(surveyResponses.externalId, "r1:nps"));
    expect(r1?.themes).toEqual(["pricing"]);
    const [mention] = await t.db.select().from(mentions).where(eq(mentions.productId, productId));
    expect(mention?.themes).toEqual(["pricing"]);
  });
});
