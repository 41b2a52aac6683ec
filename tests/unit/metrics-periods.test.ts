import { describe, expect, it } from "vitest";
import {
  countDays,
  formatIsoWeek,
  listDays,
  localMidnight,
  PeriodError,
  parseWeek,
  previousPeriod,
  resolvePeriod,
  weekOfDay,
  weekStartOfDay,
} from "../../lib/metrics/period-resolve";

const HOUR = 3_600_000;
const within = (iso: string, p: { start: Date; end: Date }) => {
  const t = new Date(iso).getTime();
  return t >= p.start.getTime() && t < p.end.getTime();
};

describe("period resolution in the product's zone", () => {
  it("parses an ISO week as Monday to Sunday in UTC", () => {
    const w = parseWeek("2026-W47", "UTC", "monday");
    expect(w.start.toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(w.end.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect([w.firstDay, w.lastDay, w.label]).toEqual(["2026-11-16", "2026-11-22", "2026-W47"]);
  });

  it("gives the Sunday-week equivalent: the week starting the Sunday before the ISO Monday", () => {
    const w = parseWeek("2026-W47", "UTC", "sunday");
    expect([w.firstDay, w.lastDay]).toEqual(["2026-11-15", "2026-11-21"]);
    expect(formatIsoWeek("2026-11-15")).toBe("2026-W47");
  });

  it("handles ISO week 1 starting in the previous year and week 53 only in long years", () => {
    expect(parseWeek("2026-W01", "UTC", "monday").firstDay).toBe("2025-12-29");
    expect(parseWeek("2026-W53", "UTC", "monday").firstDay).toBe("2026-12-28"); // 2026 starts on a Thursday
    expect(() => parseWeek("2025-W53", "UTC", "monday")).toThrow(PeriodError);
    expect(() => parseWeek("2026-47", "UTC", "monday")).toThrow(/YYYY-Www/);
  });

  it("makes the spring-forward week 167 hours long and keeps 23:59 of the DST Sunday inside it (Berlin)", () => {
    const w = parseWeek("2026-W13", "Europe/Berlin", "monday");
    expect(w.start.toISOString()).toBe("2026-03-22T23:00:00.000Z");
    expect(w.end.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(w.end.getTime() - w.start.getTime()).toBe(167 * HOUR);
    // Sunday 2026-03-29 23:59 CEST = 21:59 UTC: last minute of the week; 00:00 Monday is the next week.
    expect(within("2026-03-29T21:59:00Z", w)).toBe(true);
    expect(within("2026-03-29T22:00:00Z", w)).toBe(false);
  });

  it("makes the fall-back week 169 hours long (Berlin, 2026-10-25)", () => {
    const w = parseWeek("2026-W43", "Europe/Berlin", "monday");
    expect(w.end.getTime() - w.start.getTime()).toBe(169 * HOUR);
    expect(within("2026-10-25T22:59:00Z", w)).toBe(true); // Sunday 23:59 CET
    expect(within("2026-10-25T23:00:00Z", w)).toBe(false);
  });

  it("starts a Sunday week on the DST Sunday itself (New York, 2026-03-08)", () => {
    const w = parseWeek("2026-W11", "America/New_York", "sunday");
    expect(w.start.toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(w.end.toISOString()).toBe("2026-03-15T04:00:00.000Z");
  });

  it("uses local midnight in a zone ahead of UTC (Asia/Tokyo)", () => {
    const d = resolvePeriod({ day: "2026-11-23" }, "Asia/Tokyo", "monday");
    expect(d.start.toISOString()).toBe("2026-11-22T15:00:00.000Z");
    expect(d.end.toISOString()).toBe("2026-11-23T15:00:00.000Z");
  });

  it("resolves months and inclusive custom ranges", () => {
    const m = resolvePeriod({ month: "2026-02" }, "UTC", "monday");
    expect([m.firstDay, m.lastDay, countDays(m)]).toEqual(["2026-02-01", "2026-02-28", 28]);
    const c = resolvePeriod({ from: "2026-11-01", to: "2026-11-07" }, "UTC", "monday");
    expect(c.end.toISOString()).toBe("2026-11-08T00:00:00.000Z");
    expect(listDays(c)).toHaveLength(7);
  });

  it("rejects contradictory or malformed input with a clear message", () => {
    expect(() => resolvePeriod({}, "UTC", "monday")).toThrow(/exactly one period/);
    expect(() => resolvePeriod({ week: "2026-W01", day: "2026-01-01" }, "UTC", "monday")).toThrow(
      /exactly one/,
    );
    expect(() => resolvePeriod({ from: "2026-11-07", to: "2026-11-01" }, "UTC", "monday")).toThrow(/before/);
    expect(() => resolvePeriod({ from: "2026-11-01" }, "UTC", "monday")).toThrow(/go together/);
    expect(() => resolvePeriod({ day: "2026-02-30" }, "UTC", "monday")).toThrow(/calendar date/);
    expect(() => resolvePeriod({ month: "2026-13" }, "UTC", "monday")).toThrow(/YYYY-MM/);
  });

  it("takes the previous period of the same kind", () => {
    const w = parseWeek("2026-W14", "Europe/Berlin", "monday");
    const p = previousPeriod(w, "Europe/Berlin");
    expect([p.firstDay, p.lastDay, p.label]).toEqual(["2026-03-23", "2026-03-29", "2026-W13"]);
    expect(p.end.getTime()).toBe(w.start.getTime());
    const m = previousPeriod(resolvePeriod({ month: "2026-03" }, "UTC", "monday"), "UTC");
    expect([m.firstDay, m.lastDay]).toEqual(["2026-02-01", "2026-02-28"]);
    const c = previousPeriod(resolvePeriod({ from: "2026-11-01", to: "2026-11-10" }, "UTC", "monday"), "UTC");
    expect([c.firstDay, c.lastDay]).toEqual(["2026-10-22", "2026-10-31"]);
    const d = previousPeriod(resolvePeriod({ day: "2026-01-01" }, "UTC", "monday"), "UTC");
    expect(d.firstDay).toBe("2025-12-31");
  });

  it("finds week starts of days for either convention", () => {
    expect(weekStartOfDay("2026-11-22", "monday")).toBe("2026-11-16"); // a Sunday
    expect(weekStartOfDay("2026-11-22", "sunday")).toBe("2026-11-22");
    expect(weekOfDay("2026-11-18", "UTC", "monday").label).toBe("2026-W47");
    expect(localMidnight("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
  });
});
