import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { features } from "../../db/schema/products";
import type { IngestItem, NormalizedEvent } from "../../ingest/normalized";
import { runIngest } from "../../ingest/pipeline";
import { createProduct } from "../../lib/queries/products";

/*
 * Hand-counted dataset for the metrics query tests (not a test file itself).
 * Product "berlin" (Europe/Berlin, Monday weeks); week 2026-W13 is Mon 23 -
 * Sun 29 March 2026, with the switch to summer time on the Sunday.
 *   a1: Mon 09:00 pageview, 09:10 signed_up; identifies as u1 on Wed; u1 pageview Thu; u1 pageview Wed 1 Apr.
 *   b1: one pageview at Sun 29 Mar 23:59 local (21:59Z), the last minute of the DST week.
 *   u2: W12 pageview + purchase (plan free) 20 min apart; W13 Tue purchase (plan pro);
 *       l1 pageview Fri 27 Mar, identified as u2 only in a later import.
 *   d1: Mon 30 Mar 00:00 local (22:00Z on the 29th): next week, still March.
 * Product "tokyo" (Asia/Tokyo): Monday 00:30 JST is Sunday in UTC.
 */
export const NOW = new Date("2026-04-15T12:00:00Z");

let n = 0;
const ev = (iso: string, patch: Partial<NormalizedEvent>): IngestItem => ({
  kind: "event",
  value: { messageId: `m-${++n}`, timestamp: new Date(iso), event: "pageview", type: "page", ...patch },
});

export async function loadMetricsDataset(db: Db): Promise<{ berlin: number; tokyo: number }> {
  n = 0;
  const berlin = await createProduct(db, {
    slug: "berlin",
    name: "Berlin",
    timezone: "Europe/Berlin",
    weekStart: "monday",
  });
  const tokyo = await createProduct(db, {
    slug: "tokyo",
    name: "Tokyo",
    timezone: "Asia/Tokyo",
    weekStart: "monday",
  });
  const first: IngestItem[] = [
    ev("2026-03-23T08:00:00Z", { anonymousId: "a1" }),
    ev("2026-03-23T08:10:00Z", { anonymousId: "a1", event: "signed_up", type: "track" }),
    ev("2026-03-25T10:00:00Z", { anonymousId: "a1", userId: "u1", event: "identify", type: "identify" }),
    ev("2026-03-26T10:00:00Z", { userId: "u1" }),
    ev("2026-04-01T10:00:00Z", { userId: "u1" }),
    ev("2026-03-29T21:59:00Z", { anonymousId: "b1" }),
    ev("2026-03-18T12:00:00Z", { userId: "u2" }),
    ev("2026-03-18T12:20:00Z", {
      userId: "u2",
      event: "purchase",
      type: "track",
      properties: { plan: "free" },
    }),
    ev("2026-03-24T12:00:00Z", {
      userId: "u2",
      event: "purchase",
      type: "track",
      properties: { plan: "pro" },
    }),
    ev("2026-03-27T09:00:00Z", { anonymousId: "l1" }),
    ev("2026-03-29T22:00:00Z", { anonymousId: "d1" }),
  ];
  const late: IngestItem[] = [
    ev("2026-03-27T09:30:00Z", { anonymousId: "l1", userId: "u2", event: "identify", type: "identify" }),
  ];
  const info = { productId: berlin.id, kind: "import" as const, format: "fixture" };
  await runIngest(db, info, first, { now: NOW });
  await runIngest(db, info, first, { now: NOW }); // re-import: nothing is added, rollups included
  await runIngest(db, info, late, { now: NOW });

  const survey = (id: string, kind: "nps" | "csat", score: number, comment?: string): IngestItem => ({
    kind: "survey",
    value: {
      externalId: id,
      submittedAt: new Date("2026-03-25T12:00:00Z"),
      questionKind: kind,
      score,
      comment,
    },
  });
  await runIngest(
    db,
    { productId: berlin.id, kind: "import", format: "typeform" },
    [
      survey("r1", "nps", 10, "Love the reports"),
      survey("r2", "nps", 9),
      survey("r3", "nps", 6, "Too expensive"),
      survey("r4", "nps", 8),
      survey("r5", "csat", 5),
      survey("r6", "csat", 3),
    ],
    { now: NOW },
  );
  const mention = (id: string): IngestItem => ({
    kind: "mention",
    value: { externalId: id, createdAt: new Date("2026-03-26T12:00:00Z"), title: `post ${id}` },
  });
  await runIngest(
    db,
    { productId: berlin.id, kind: "import", format: "hn" },
    [mention("h1"), mention("h2")],
    { now: NOW },
  );
  await runIngest(db, { productId: berlin.id, kind: "import", format: "reddit" }, [mention("x1")], {
    now: NOW,
  });
  // Enrichment results, set explicitly whatever enrichment ran at ingest.
  await db.execute(sql`update survey_responses set sentiment = null, themes = '{}'`);
  await db.execute(sql`update mentions set sentiment = null, themes = '{}'`);
  await db.execute(sql`update mentions set sentiment = 0 where external_id = 'h2'`);
  await db.execute(
    sql`update survey_responses set sentiment = 0.6, themes = '{reports}' where external_id = 'r1'`,
  );
  await db.execute(
    sql`update survey_responses set sentiment = -0.4, themes = '{pricing}' where external_id = 'r3'`,
  );
  await db.execute(sql`update mentions set sentiment = 0.5, themes = '{pricing}' where external_id = 'h1'`);

  await db.insert(features).values([
    {
      productId: berlin.id,
      key: "pro-purchase",
      name: "Pro purchase",
      eventNames: ["purchase"],
      filters: [{ property: "plan", op: "eq", value: "pro" }],
    },
    { productId: berlin.id, key: "signup", name: "Sign-up", eventNames: ["signed_up"] },
  ]);

  await runIngest(
    db,
    { productId: tokyo.id, kind: "import", format: "fixture" },
    [
      ev("2026-11-15T15:30:00Z", { anonymousId: "t1" }), // Mon 00:30 JST: week 47 there
      ev("2026-11-22T14:59:00Z", { anonymousId: "t2" }), // Sun 23:59 JST: still week 47
      ev("2026-11-22T15:00:00Z", { anonymousId: "t3" }), // Mon 00:00 JST: week 48
    ],
    { now: new Date("2026-11-27T00:00:00Z") },
  );
  return { berlin: berlin.id, tokyo: tokyo.id };
}
