import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Product } from "../../db/schema/products";
import { parseWeek, resolvePeriod } from "../../lib/metrics/period-resolve";
import { getAdoptionReport } from "../../lib/queries/adoption";
import { getFunnel } from "../../lib/queries/funnels";
import { getKpiMetrics, getKpiReport } from "../../lib/queries/kpis";
import { getProductBySlug } from "../../lib/queries/products";
import { getRetention } from "../../lib/queries/retention";
import { deleteSavedFunnel, listSavedFunnels, saveFunnel } from "../../lib/queries/saved-funnels";
import { setTarget } from "../../lib/queries/targets";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";
import { loadMetricsDataset, NOW } from "./metrics-dataset";

/** Results of every engine, to compare them at the end. */
const seen = new Map<string, unknown[]>();
const record = (key: string, value: unknown) => seen.set(key, [...(seen.get(key) ?? []), value]);

describe.each(ENGINES)("metrics queries on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  let berlin: Product;
  let tokyo: Product;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(engine);
    await loadMetricsDataset(t.db);
    berlin = (await getProductBySlug(t.db, "berlin")) as Product;
    tokyo = (await getProductBySlug(t.db, "tokyo")) as Product;
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)(
    "computes the KPI set of the DST week with a late identify, vs the week before",
    async () => {
      await setTarget(t.db, { productId: berlin.id, metric: "wau", value: 3.2 });
      await setTarget(t.db, { productId: berlin.id, metric: "bounce_rate", value: 0.5 });
      const period = parseWeek("2026-W13", "Europe/Berlin", "monday");
      const r = await getKpiReport(t.db, { product: berlin, period });
      expect(r.goals).toEqual(["signed_up", "purchase"]);
      expect(r.metrics).toMatchObject({
        wau: 3, // u1 (a1 before identifying), b1, u2 (with l1, identified later)
        mau: 4, // + d1 on Monday 30 March, still March
        active_users: 3,
        new_users: 2,
        returning_users: 1,
        sessions: 5,
        pageviews: 4,
        bounce_rate: 0.6,
        avg_session_seconds: 120,
        conversion: { signed_up: { converters: 1, rate: 1 / 3 }, purchase: { converters: 1, rate: 1 / 3 } },
      });
      expect(r.metrics.dau).toBeCloseTo(5 / 7, 12);
      expect(r.metrics.stickiness).toBeCloseTo(5 / 28, 12);
      expect(r.metrics.daily_active.map((d) => d.value)).toEqual([1, 1, 0, 1, 1, 0, 1]);
      expect(r.previous).toMatchObject({
        wau: 1,
        mau: 4,
        new_users: 1,
        returning_users: 0,
        sessions: 1,
        bounce_rate: 0,
        avg_session_seconds: 1200,
        conversion: { signed_up: { converters: 0, rate: 0 }, purchase: { converters: 1, rate: 1 } },
      });
      expect(r.changes.wau).toEqual({ change: 2, change_ratio: 2 });
      expect(r.targets.wau).toMatchObject({ target: 3.2, value: 3, status: "at_risk" });
      expect(r.targets.bounce_rate).toMatchObject({ direction: "at_most", status: "off_track" });
      record("kpis", r);
    },
  );

  it.skipIf(skip)("computes survey and mention figures of the week", async () => {
    const r = await getKpiReport(t.db, {
      product: berlin,
      period: parseWeek("2026-W13", "Europe/Berlin", "monday"),
    });
    expect(r.metrics).toMatchObject({
      nps: 25,
      nps_responses: 4,
      promoters: 2,
      passives: 1,
      detractors: 1,
      nps_low_sample: true,
      csat: 50,
      csat_responses: 2,
      comments: 2,
      mentions: 3,
      mentions_by_source: { hn: 2, reddit: 1 },
      top_themes: [
        { theme: "pricing", count: 2 },
        { theme: "reports", count: 1 },
      ],
    });
    expect(r.metrics.nps_margin_of_error).toBeCloseTo(81.2573, 3);
    // scored: r1 +0.6, r3 -0.4, h1 +0.5, h2 0 (neutral); x1 unscored -> (2 - 1) / 4
    expect(r.metrics.net_sentiment).toBe(0.25);
  });

  it.skipIf(skip)("gives zeros, not errors, for an empty week", async () => {
    const m = await getKpiMetrics(t.db, {
      product: berlin,
      period: parseWeek("2026-W10", "Europe/Berlin", "monday"),
      goals: ["signed_up"],
    });
    expect(m).toMatchObject({
      dau: 0,
      wau: 0,
      active_users: 0,
      sessions: 0,
      bounce_rate: null,
      avg_session_seconds: null,
      stickiness: 0, // MAU of March is 4
      conversion: { signed_up: { converters: 0, rate: null } },
      nps: null,
    });
  });

  it.skipIf(skip)("buckets by local days in a zone ahead of UTC", async () => {
    const m = await getKpiMetrics(t.db, {
      product: tokyo,
      period: parseWeek("2026-W47", "Asia/Tokyo", "monday"),
      goals: [],
    });
    expect(m.wau).toBe(2);
    expect(m.daily_active.map((d) => d.value)).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(m.dau).toBeCloseTo(2 / 7, 12);
    const day = await getKpiMetrics(t.db, {
      product: tokyo,
      period: resolvePeriod({ day: "2026-11-23" }, "Asia/Tokyo", "monday"),
      goals: [],
    });
    expect(day.dau).toBe(1); // t3
  });

  it.skipIf(skip)("runs a funnel with identities resolved", async () => {
    const f = await getFunnel(t.db, {
      product: berlin,
      period: parseWeek("2026-W13", "Europe/Berlin", "monday"),
      steps: [{ event: "pageview" }, { event: "signed_up" }],
    });
    expect(f.steps.map((s) => s.count)).toEqual([3, 1]);
    expect(f.steps[1]?.median_seconds_to_convert).toBe(600);
    expect(f.trend).toEqual([{ week: "2026-03-23", entered: 3, converted: 1, conversion_rate: 1 / 3 }]);
    record("funnel", f);
  });

  it.skipIf(skip)("builds weekly retention cohorts", async () => {
    const r = await getRetention(t.db, {
      product: berlin,
      period: resolvePeriod({ from: "2026-03-16", to: "2026-03-29" }, "Europe/Berlin", "monday"),
      now: NOW,
    });
    expect(r.cohorts.map((c) => [c.cohort, c.size])).toEqual([
      ["2026-03-16", 1],
      ["2026-03-23", 2],
    ]);
    expect(r.cohorts[0]?.retained.slice(0, 6)).toEqual([1, 1, 0, 0, 0, null]); // week of 13 Apr has begun
    expect(r.cohorts[1]?.retained.slice(0, 5)).toEqual([2, 1, 0, 0, null]);
    const after = await getRetention(t.db, {
      product: berlin,
      period: resolvePeriod({ from: "2026-03-16", to: "2026-03-22" }, "Europe/Berlin", "monday"),
      now: NOW,
      startEvent: "purchase",
      mode: "on_or_after",
    });
    expect(after.cohorts[0]?.retained.slice(0, 3)).toEqual([1, 1, 0]);
    record("retention", r);
  });

  it.skipIf(skip)("reports feature adoption with property filters", async () => {
    const r = await getAdoptionReport(t.db, {
      product: berlin,
      period: parseWeek("2026-W13", "Europe/Berlin", "monday"),
    });
    const pro = r.features.find((f) => f.key === "pro-purchase");
    expect(pro).toMatchObject({
      adopters: 1,
      active_users: 3,
      adoption_rate: 1 / 3,
      new_adopters: 1,
      uses: 1,
      mean_uses_per_adopter: 1,
      adopter_retention: null,
      non_adopter_retention: 1,
    });
    expect(pro?.trend.at(-1)).toEqual({
      week: "2026-03-23",
      adopters: 1,
      active_users: 3,
      adoption_rate: 1 / 3,
    });
    expect(pro?.trend.at(-2)).toEqual({ week: "2026-03-16", adopters: 0, active_users: 1, adoption_rate: 0 });
    expect(r.features.find((f) => f.key === "signup")).toMatchObject({
      adopters: 1,
      new_adopters: 1,
      uses: 1,
    });
    record("adoption", r);
  });

  it.skipIf(skip)("gives the same numbers from the rollup and from raw events", async () => {
    for (const week of ["2026-W12", "2026-W13", "2026-W14"]) {
      const period = parseWeek(week, "Europe/Berlin", "monday");
      const goals = ["signed_up", "purchase"];
      const raw = await getKpiMetrics(t.db, { product: berlin, period, goals, source: "raw" });
      expect(await getKpiMetrics(t.db, { product: berlin, period, goals })).toEqual(raw);
      const adoptionRaw = await getAdoptionReport(t.db, { product: berlin, period, source: "raw" });
      expect(await getAdoptionReport(t.db, { product: berlin, period })).toEqual(adoptionRaw);
    }
  });

  it.skipIf(skip)("saves, lists and deletes funnels per product", async () => {
    const saved = await saveFunnel(t.db, {
      productId: berlin.id,
      name: "Signup",
      definition: {
        steps: [{ event: "pageview" }, { event: "signed_up" }],
        windowSeconds: 3600,
        mode: "sequential",
      },
    });
    expect(await listSavedFunnels(t.db, berlin.id)).toEqual([saved]);
    expect(await listSavedFunnels(t.db, tokyo.id)).toEqual([]);
    await expect(
      saveFunnel(t.db, {
        productId: berlin.id,
        name: "Bad",
        definition: { steps: [{ event: "a" }], windowSeconds: 1, mode: "any" },
      }),
    ).rejects.toThrow(/at least 2 steps/);
    expect(await deleteSavedFunnel(t.db, tokyo.id, saved.id)).toBe(false);
    expect(await deleteSavedFunnel(t.db, berlin.id, saved.id)).toBe(true);
  });
});

describe("both engines", () => {
  it.skipIf(ENGINES.some((e) => e.skip))("give identical results on the same dataset", () => {
    for (const [key, values] of seen) {
      expect(values, key).toHaveLength(2);
      expect(values[1], key).toEqual(values[0]);
    }
  });
});
