import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countByKey, fillBuckets } from "../../lib/metrics/buckets";
import {
  computeConversionRate,
  computeReturning,
  computeStickiness,
  meanDailyActive,
} from "../../lib/metrics/kpi-formulas";
import { listDays, resolvePeriod } from "../../lib/metrics/period-resolve";
import { localDateKey } from "../../lib/metrics/periods";
import { matchesFilters } from "../../lib/metrics/property-filters";
import { mean, percentile, safeRatio } from "../../lib/metrics/ratios";
import {
  addSessionTotals,
  computeAvgSessionSeconds,
  computeBounceRate,
  summarizeSessions,
} from "../../lib/metrics/sessions";
import { computeCes, computeCsat, computeNetSentiment, computeNps } from "../../lib/metrics/survey-scores";
import { evaluateTarget } from "../../lib/metrics/targets";

const MIN = 60_000;

describe("sessions", () => {
  it("starts a new session at a gap of 30 minutes or more and counts bounces and durations", () => {
    const totals = summarizeSessions([
      { t: 100 * MIN, type: "page" },
      { t: 0, type: "page" },
      { t: 10 * MIN, type: "track" },
      { t: 40 * MIN, type: "page" }, // exactly 30 min after 10 min: new session
    ]);
    expect(totals).toEqual({ sessions: 3, bounces: 2, durationMs: 10 * MIN });
    expect(computeBounceRate(totals)).toBeCloseTo(2 / 3, 12);
    expect(computeAvgSessionSeconds(totals)).toBe(200);
  });

  it("keeps a gap just under 30 minutes in one session; a lone track event is not a bounce", () => {
    expect(
      summarizeSessions([
        { t: 0, type: "page" },
        { t: 30 * MIN - 1000, type: "page" },
      ]),
    ).toEqual({
      sessions: 1,
      bounces: 0,
      durationMs: 30 * MIN - 1000,
    });
    expect(summarizeSessions([{ t: 0, type: "track" }])).toEqual({ sessions: 1, bounces: 0, durationMs: 0 });
  });

  it("has no rates without sessions", () => {
    const none = summarizeSessions([]);
    expect(none.sessions).toBe(0);
    expect(computeBounceRate(none)).toBeNull();
    expect(computeAvgSessionSeconds(none)).toBeNull();
    expect(addSessionTotals(none, { sessions: 2, bounces: 1, durationMs: 5 })).toEqual({
      sessions: 2,
      bounces: 1,
      durationMs: 5,
    });
  });
});

describe("KPI formulas", () => {
  it("averages DAU over every day of the period, empty days as 0", () => {
    expect(meanDailyActive([3, 0, 0, 1, 0, 0, 3])).toBe(1);
    expect(meanDailyActive([])).toBe(0);
  });

  it("computes stickiness, returning users and conversion", () => {
    expect(computeStickiness(2, 8)).toBe(0.25);
    expect(computeStickiness(0, 0)).toBeNull();
    expect(computeReturning(10, 4)).toBe(6);
    expect(computeConversionRate(3, 12)).toBe(0.25);
    expect(computeConversionRate(0, 0)).toBeNull();
  });

  it("takes percentiles like percentile_cont", () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91, 10);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
    expect(mean([1, 2])).toBe(1.5);
    expect(safeRatio(1, 0)).toBeNull();
  });
});

describe("survey scores", () => {
  it("computes NPS with its 95% margin of error", () => {
    const r = computeNps([10, 9, 9, 8, 7, 6, 0, 3, 10, 10]);
    expect(r).toMatchObject({ responses: 10, promoters: 5, passives: 2, detractors: 3, lowSample: true });
    expect(r.nps).toBeCloseTo(20, 10);
    // variance = .5*.5 + .3*.7 + 2*.5*.3 = .76; MOE = 1.96 * sqrt(.76 / 10) * 100
    expect(r.marginOfError).toBeCloseTo(54.0335, 3);
  });

  it("flags fewer than 30 responses and has no score without any", () => {
    expect(computeNps(Array(30).fill(10)).lowSample).toBe(false);
    expect(computeNps(Array(30).fill(10))).toMatchObject({ nps: 100, marginOfError: 0 });
    expect(computeNps([])).toMatchObject({ nps: null, marginOfError: null, lowSample: true });
  });

  it("computes CSAT as the share of 4-5 answers, CES as the mean, net sentiment over scored items", () => {
    expect(computeCsat([{ score: 5 }, { score: 4 }, { score: 3 }, { score: 1 }])).toBe(50);
    expect(
      computeCsat([
        { score: 6, scaleMax: 7 },
        { score: 5, scaleMax: 7 },
      ]),
    ).toBe(50);
    expect(computeCsat([])).toBeNull();
    expect(computeCes([2, 3, 7])).toBe(4);
    expect(computeNetSentiment([0.8, 0.3, -0.5, 0.0, null])).toBe(0.25);
    expect(computeNetSentiment([null])).toBeNull();
  });
});

describe("targets", () => {
  it("is direction-aware with a 10% at-risk band", () => {
    expect(evaluateTarget(5000, 5000, "at_least")).toBe("on_track");
    expect(evaluateTarget(4500, 5000, "at_least")).toBe("at_risk");
    expect(evaluateTarget(4499, 5000, "at_least")).toBe("off_track");
    expect(evaluateTarget(0.4, 0.4, "at_most")).toBe("on_track");
    expect(evaluateTarget(0.44, 0.4, "at_most")).toBe("at_risk");
    expect(evaluateTarget(0.45, 0.4, "at_most")).toBe("off_track");
    expect(evaluateTarget(null, 1, "at_least")).toBeNull();
  });
});

describe("property filters", () => {
  it("compares values as text", () => {
    const p = { plan: "pro", seats: 3, beta: true, note: null };
    expect(matchesFilters(p, [{ property: "plan", op: "eq", value: "pro" }])).toBe(true);
    expect(matchesFilters(p, [{ property: "seats", op: "eq", value: 3 }])).toBe(true);
    expect(matchesFilters(p, [{ property: "beta", op: "eq", value: "true" }])).toBe(true);
    expect(matchesFilters(p, [{ property: "plan", op: "neq", value: "pro" }])).toBe(false);
    expect(matchesFilters(p, [{ property: "missing", op: "neq", value: "pro" }])).toBe(true);
    expect(matchesFilters(p, [{ property: "plan", op: "contains", value: "r" }])).toBe(true);
    expect(matchesFilters(p, [{ property: "note", op: "exists" }])).toBe(false);
  });
});

describe("buckets", () => {
  it("zero-fills missing days in order", () => {
    const days = listDays(resolvePeriod({ from: "2026-11-01", to: "2026-11-04" }, "UTC", "monday"));
    expect(
      fillBuckets(
        days,
        new Map([
          ["2026-11-02", 3],
          ["2026-12-01", 9],
        ]),
      ),
    ).toEqual([
      { key: "2026-11-01", value: 0 },
      { key: "2026-11-02", value: 3 },
      { key: "2026-11-03", value: 0 },
      { key: "2026-11-04", value: 0 },
    ]);
  });

  it("keeps every event: bucket sums equal the raw count over the period (property)", () => {
    const period = resolvePeriod({ from: "2026-03-20", to: "2026-04-05" }, "Europe/Berlin", "monday");
    const span = period.end.getTime() - period.start.getTime();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: span - 1 }), { maxLength: 200 }), (offsets) => {
        const instants = offsets.map((o) => new Date(period.start.getTime() + o));
        const buckets = fillBuckets(
          listDays(period),
          countByKey(instants, (d) => localDateKey(d, "Europe/Berlin")),
        );
        expect(buckets).toHaveLength(17);
        expect(buckets.reduce((s, b) => s + b.value, 0)).toBe(instants.length);
      }),
      { numRuns: 200 },
    );
  });
});
