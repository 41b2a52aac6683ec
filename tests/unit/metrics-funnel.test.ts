import { describe, expect, it } from "vitest";
import { computeFunnel, parseWindow } from "../../lib/metrics/funnel";
import type { FunnelEvent, FunnelSpec } from "../../lib/metrics/funnel-trace";

const H = 3_600_000;
const D = 24 * H;
const e = (event: string, hours: number, properties?: Record<string, unknown>): FunnelEvent => ({
  event,
  t: hours * H,
  properties,
});
const spec = (patch: Partial<FunnelSpec> = {}): FunnelSpec => ({
  steps: [{ event: "A" }, { event: "B" }, { event: "C" }],
  windowMs: 14 * D,
  mode: "sequential",
  rangeStart: 0,
  rangeEnd: 7 * D,
  ...patch,
});
const weekOf = (t: number) => (t < 3.5 * D ? "w1" : "w2");

/** Hand-made actors; expected results are worked out in the comments. */
const ACTORS: FunnelEvent[][] = [
  [e("A", 1), e("B", 2), e("C", 3)], // u1: all steps, 3600 s each
  [e("A", 1), e("A", 5), e("B", 6)], // u2: step 1 repeated; window and timing from the first A: B after 5 h
  [e("A", 10), e("B", 10), e("C", 10)], // u3: all at the same timestamp: converts, 0 s
  [e("B", 1), e("A", 2)], // u4: B before A does not count
  [e("A", 1), e("C", 2), e("B", 3)], // u5: C before B: reaches B only
  [e("A", 8 * 24)], // u6: first A outside the range: not in the funnel
  [e("A", 1), e("B", 1 + 15 * 24)], // u7: B after the 14-day window
];

describe("funnel math", () => {
  it("counts sequential steps with repeated steps, equal timestamps and the window", () => {
    const r = computeFunnel(ACTORS, spec(), weekOf, ["w1", "w2", "w3"]);
    expect(r.steps.map((s) => s.count)).toEqual([6, 4, 2]);
    expect(r.steps[0]).toMatchObject({
      conversion_from_start: 1,
      drop_off: 0,
      median_seconds_to_convert: null,
    });
    expect(r.steps[1]?.conversion_from_start).toBeCloseTo(4 / 6, 12);
    expect(r.steps[2]?.conversion_from_previous).toBe(0.5);
    expect(r.steps.map((s) => s.drop_off)).toEqual([0, 2, 2]);
    // step 2 seconds: [0, 3600, 7200, 18000] -> median 5400, p90 = 7200 + 0.7 * 10800
    expect(r.steps[1]?.median_seconds_to_convert).toBe(5400);
    expect(r.steps[1]?.p90_seconds_to_convert).toBeCloseTo(14760, 6);
    // step 3 seconds: [0, 3600]
    expect(r.steps[2]?.median_seconds_to_convert).toBe(1800);
    expect(r.steps[2]?.p90_seconds_to_convert).toBeCloseTo(3240, 6);
    expect(r.breakdown).toEqual([]);
  });

  it("requires the very next event in strict mode", () => {
    const r = computeFunnel(ACTORS, spec({ mode: "strict" }), weekOf, []);
    expect(r.steps.map((s) => s.count)).toEqual([6, 2, 2]); // u1 and u3 only
  });

  it("accepts steps in any order", () => {
    const r = computeFunnel(ACTORS, spec({ mode: "any" }), weekOf, []);
    // u4 (B then A) reaches 2, u5 (A, C, B) reaches 3, u2 reaches 2, u7 1.
    expect(r.steps.map((s) => s.count)).toEqual([6, 5, 3]);
  });

  it("drops an actor who fires an exclusion event during the attempt", () => {
    const actors = [
      [e("A", 1), e("X", 1.5), e("B", 2)],
      [e("A", 1), e("B", 2), e("C", 3), e("X", 4)], // after completing: still counted
      [e("X", 0.5), e("A", 1), e("B", 2)], // before entering: still counted
    ];
    const r = computeFunnel(actors, spec({ exclusions: ["X"] }), weekOf, []);
    expect(r.steps.map((s) => s.count)).toEqual([2, 2, 1]);
  });

  it("applies step property filters", () => {
    const actors = [
      [e("A", 1), e("B", 2, { plan: "pro" })],
      [e("A", 1), e("B", 2, { plan: "free" })],
    ];
    const r = computeFunnel(
      actors,
      spec({
        steps: [{ event: "A" }, { event: "B", filters: [{ property: "plan", op: "eq", value: "pro" }] }],
      }),
      weekOf,
      [],
    );
    expect(r.steps.map((s) => s.count)).toEqual([2, 1]);
  });

  it("breaks down by the step-1 value: top 10 plus other, and (none)", () => {
    const values = ["a", "a", "a", "b", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
    const actors = values.map((v, i) => [
      e("A", 1, { src: v }),
      ...(i % 2 === 0 ? [e("B", 2, { src: "later" })] : []),
    ]);
    actors.push([e("A", 1)]);
    const r = computeFunnel(
      actors,
      spec({ steps: [{ event: "A" }, { event: "B" }], breakdown: "src" }),
      weekOf,
      [],
    );
    expect(r.breakdown.map((b) => b.value)).toEqual([
      "a",
      "b",
      "(none)",
      "c",
      "d",
      "e",
      "f",
      "g",
      "h",
      "i",
      "other",
    ]);
    expect(r.breakdown[0]?.steps.map((s) => s.count)).toEqual([3, 2]); // indices 0, 2 convert
    const other = r.breakdown.find((b) => b.value === "other");
    expect(other?.steps.map((s) => s.count)).toEqual([3, 2]); // j(12), k(13), l(14): 12 and 14 convert
  });

  it("trends conversion by entry week, zero-filling empty weeks", () => {
    const actors = [[e("A", 1), e("B", 2), e("C", 3)], [e("A", 1)], [e("A", 100), e("B", 101), e("C", 102)]];
    const r = computeFunnel(actors, spec(), weekOf, ["w1", "w2", "w3"]);
    expect(r.trend).toEqual([
      { week: "w1", entered: 2, converted: 1, conversion_rate: 0.5 },
      { week: "w2", entered: 1, converted: 1, conversion_rate: 1 },
      { week: "w3", entered: 0, converted: 0, conversion_rate: null },
    ]);
  });

  it("reports an empty funnel without dividing by zero", () => {
    const r = computeFunnel([], spec(), weekOf, ["w1"]);
    expect(r.steps.map((s) => [s.count, s.conversion_from_start])).toEqual([
      [0, null],
      [0, null],
      [0, null],
    ]);
  });

  it("parses windows", () => {
    expect(parseWindow("14d")).toBe(14 * D);
    expect(parseWindow("2h")).toBe(2 * H);
    expect(parseWindow("3600s")).toBe(H);
    expect(parseWindow("90")).toBe(90_000);
    expect(() => parseWindow("91d")).toThrow(/90 days/);
    expect(() => parseWindow("two weeks")).toThrow(/14d/);
  });
});
