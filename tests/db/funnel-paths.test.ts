import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Product } from "../../db/schema/products";
import { mulberry32 } from "../../db/seed/demo-data";
import type { IngestItem } from "../../ingest/normalized";
import { runIngest } from "../../ingest/pipeline";
import { parseStep } from "../../lib/metrics/funnel-steps";
import type { FunnelMode, FunnelStepSpec } from "../../lib/metrics/funnel-trace";
import { parseWeek, resolvePeriod } from "../../lib/metrics/period-resolve";
import { canTraceInSql } from "../../lib/queries/funnel-sequential";
import { type FunnelParams, type FunnelReport, getFunnel } from "../../lib/queries/funnels";
import { createProduct } from "../../lib/queries/products";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";

const NOW = new Date("2026-05-01T00:00:00Z");
const START = Date.parse("2026-02-23T00:00:00Z");
const MINUTE = 60_000;
const SPAN_MINUTES = 6 * 7 * 24 * 60;
const NAMES = ["A", "A", "B", "B", "C", "C", "D", "X"];
const PLANS: unknown[] = ["free", "pro", "pro", 7, 2.5, true, null, undefined, { tier: "gold" }];

/**
 * Random activity of 60 people over six weeks around the US DST switch, on a
 * minute grid with bursts at one instant (equal timestamps, steps landing
 * exactly on the window's end); a third identify, half of them in a later
 * import; some share a user id across two devices; `plan` takes strings,
 * numbers, booleans, null, objects or is absent.
 */
function randomBatches(seed: number): IngestItem[][] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const early: IngestItem[] = [];
  const late: IngestItem[] = [];
  let n = 0;
  for (let p = 0; p < 60; p++) {
    const anon = `anon-${p}`;
    const user = `user-${p % 45}`;
    const identifies = r() < 0.35;
    const identifyAt = START + Math.floor(r() * SPAN_MINUTES) * MINUTE;
    let t = START + Math.floor(r() * SPAN_MINUTES) * MINUTE;
    const count = 2 + Math.floor(r() * 30);
    for (let i = 0; i < count; i++) {
      // Mostly minutes to hours apart, sometimes at the same instant, sometimes days later.
      const gap = r();
      t +=
        gap < 0.2 ? 0 : gap < 0.8 ? Math.floor(r() * 120) * MINUTE : Math.floor(r() * 6 * 24 * 60) * MINUTE;
      if (t >= START + SPAN_MINUTES * MINUTE) break;
      const known = identifies && t > identifyAt && r() < 0.8;
      const event = pick(NAMES);
      const plan = pick(PLANS);
      early.push({
        kind: "event",
        value: {
          messageId: `f${seed}-${n++}`,
          timestamp: new Date(t),
          event,
          type: "track",
          anonymousId: anon,
          userId: known ? user : null,
          properties: plan === undefined ? { n: i } : { plan, n: i },
        },
      });
    }
    if (identifies) {
      const item: IngestItem = {
        kind: "event",
        value: {
          messageId: `f${seed}-id-${p}`,
          timestamp: new Date(identifyAt),
          event: "identify",
          type: "identify",
          anonymousId: anon,
          userId: user,
        },
      };
      (r() < 0.5 ? early : late).push(item);
    }
  }
  early.sort(() => r() - 0.5);
  return [early, late];
}

const steps = (...texts: string[]): FunnelStepSpec[] => texts.map(parseStep);

/** Funnel shapes covering the SQL-traced path, the reduced event path and the full one. */
const SHAPES: { steps: FunnelStepSpec[]; mode?: FunnelMode; exclusions?: string[]; windowMs?: number }[] = [
  { steps: steps("A", "B", "C") },
  { steps: steps("A", "B", "C", "D"), windowMs: 3 * 86_400_000 },
  { steps: steps("A", "B"), windowMs: 60 * MINUTE },
  { steps: steps("B", "A", "D"), exclusions: ["X"] },
  { steps: steps("A", "B", "C"), exclusions: ["X", "C"], windowMs: 2 * 86_400_000 },
  { steps: steps("D", "C", "B", "A"), windowMs: 120 * MINUTE },
  { steps: steps("A", "B[plan=pro]", "C") },
  { steps: steps("A", "B", "B", "C") },
  { steps: steps("A", "B", "A") },
  { steps: steps("A[plan!=free]", "B") },
  { steps: steps("A", "B", "C"), mode: "strict" },
  { steps: steps("A", "B", "C"), mode: "any", exclusions: ["X"] },
];

describe.each(ENGINES)("funnel fast paths equal the tracer on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  const products: Product[] = [];
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(engine);
    for (const seed of [11, 12]) {
      const product = await createProduct(t.db, {
        slug: `funnel-${seed}`,
        name: `Funnel ${seed}`,
        timezone: seed === 11 ? "America/New_York" : "Asia/Kolkata",
        weekStart: seed === 11 ? "sunday" : "monday",
      });
      products.push(product);
      for (const batch of randomBatches(seed)) {
        await runIngest(t.db, { productId: product.id, kind: "import", format: "random" }, batch, {
          now: NOW,
        });
      }
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)("gives the same report as shipping every step event to the tracer", async () => {
    const totals = { sql: 0, entered: 0, converted: 0, breakdowns: 0 };
    for (const product of products) {
      const periods = [
        resolvePeriod({ month: "2026-03" }, product.timezone, product.weekStart),
        parseWeek("2026-W11", product.timezone, product.weekStart),
        resolvePeriod({ from: "2026-02-23", to: "2026-04-05" }, product.timezone, product.weekStart),
      ];
      for (const period of periods) {
        for (const shape of SHAPES) {
          for (const breakdown of [undefined, "plan"]) {
            const args: FunnelParams = { product, period, ...shape, breakdown };
            const label = `${product.slug} ${period.label} ${JSON.stringify(shape)} ${breakdown}`;
            const full: FunnelReport = await getFunnel(t.db, { ...args, fullScan: true });
            expect(await getFunnel(t.db, args), label).toEqual(full);
            if (canTraceInSql({ mode: shape.mode ?? "sequential", ...shape })) totals.sql += 1;
            totals.entered += full.steps[0]?.count ?? 0;
            totals.converted += full.steps.at(-1)?.count ?? 0;
            totals.breakdowns += full.breakdown.length;
          }
        }
      }
    }
    // The comparison means something only if the data exercises every path.
    expect(totals.sql).toBeGreaterThanOrEqual(30);
    expect(totals.entered).toBeGreaterThan(500);
    expect(totals.converted).toBeGreaterThan(50);
    expect(totals.breakdowns).toBeGreaterThan(100);
  });

  it.skipIf(skip)("excludes and times conversions as the tracer does, on a hand-made actor", async () => {
    const product = products[0] as Product;
    const at = (iso: string, anonymousId: string, event: string): IngestItem => ({
      kind: "event",
      value: {
        messageId: `hand-${anonymousId}-${event}-${iso}`,
        timestamp: new Date(iso),
        event,
        type: "track",
        anonymousId,
        properties: { plan: anonymousId },
      },
    });
    await runIngest(t.db, { productId: product.id, kind: "import", format: "hand" }, [
      // h1: P at 10:00, Q at 10:00 (same instant counts as in order), R exactly one hour after entry.
      at("2026-06-10T10:00:00Z", "h1", "P"),
      at("2026-06-10T10:00:00Z", "h1", "Q"),
      at("2026-06-10T11:00:00Z", "h1", "R"),
      // h2: Q before P does not count; Q again 30 minutes after P does; R after the hour does not.
      at("2026-06-10T09:00:00Z", "h2", "Q"),
      at("2026-06-10T12:00:00Z", "h2", "P"),
      at("2026-06-10T12:30:00Z", "h2", "Q"),
      at("2026-06-10T13:00:01Z", "h2", "R"),
      // h3: reaches every step but fires Z in between: excluded.
      at("2026-06-11T08:00:00Z", "h3", "P"),
      at("2026-06-11T08:10:00Z", "h3", "Z"),
      at("2026-06-11T08:20:00Z", "h3", "Q"),
      at("2026-06-11T08:30:00Z", "h3", "R"),
      // h4: Z after completing does not exclude.
      at("2026-06-11T08:00:00Z", "h4", "P"),
      at("2026-06-11T08:20:00Z", "h4", "Q"),
      at("2026-06-11T08:30:00Z", "h4", "R"),
      at("2026-06-11T08:40:00Z", "h4", "Z"),
    ]);
    const period = resolvePeriod(
      { from: "2026-06-08", to: "2026-06-14" },
      product.timezone,
      product.weekStart,
    );
    const args: FunnelParams = {
      product,
      period,
      steps: steps("P", "Q", "R"),
      windowMs: 3_600_000,
      exclusions: ["Z"],
      breakdown: "plan",
    };
    expect(canTraceInSql({ mode: "sequential", ...args })).toBe(true);
    const f = await getFunnel(t.db, args);
    expect(f.steps.map((s) => s.count)).toEqual([3, 3, 2]);
    // Step 2 after 0 s (h1), 1800 s (h2), 1200 s (h4); step 3 after 3600 s (h1), 600 s (h4).
    expect(f.steps[1]?.median_seconds_to_convert).toBe(1200);
    expect(f.steps[1]?.p90_seconds_to_convert).toBeCloseTo(1680, 6);
    expect(f.steps[2]?.median_seconds_to_convert).toBe(2100);
    expect(f.steps[2]?.p90_seconds_to_convert).toBeCloseTo(3300, 6);
    expect(f.breakdown.map((b) => [b.value, b.steps.map((s) => s.count)])).toEqual([
      ["h1", [1, 1, 1]],
      ["h2", [1, 1, 0]],
      ["h4", [1, 1, 1]],
    ]);
    // Sunday weeks: Mon 8 - Sun 14 June touches the weeks of 7 and 14 June.
    expect(f.trend).toEqual([
      { week: "2026-06-07", entered: 3, converted: 2, conversion_rate: 2 / 3 },
      { week: "2026-06-14", entered: 0, converted: 0, conversion_rate: null },
    ]);
    expect(await getFunnel(t.db, { ...args, fullScan: true })).toEqual(f);
  });
});
