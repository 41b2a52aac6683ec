import { describe, expect, it } from "vitest";
import { funnelWeeks } from "../../lib/metrics/funnel-weeks";
import { weekStartOfDay } from "../../lib/metrics/period-resolve";
import { localDateKey } from "../../lib/metrics/periods";

const HOUR = 3_600_000;

describe("funnel entry weeks", () => {
  it.each([
    ["Europe/Berlin", "monday", "2026-03-02", "2026-04-12"],
    ["America/New_York", "sunday", "2026-10-20", "2026-11-14"],
    ["Asia/Kolkata", "monday", "2026-01-01", "2026-01-31"],
    ["Australia/Lord_Howe", "monday", "2026-03-23", "2026-04-19"],
    ["America/Santiago", "sunday", "2026-08-30", "2026-09-19"],
  ] as const)(
    "lists the weeks and finds each instant's week as its local date does (%s)",
    (zone, weekStart, first, last) => {
      const { weeks, weekOf } = funnelWeeks(first, last, zone, weekStart);
      expect(weeks[0]).toBe(weekStartOfDay(first, weekStart));
      expect(weeks.at(-1)).toBe(weekStartOfDay(last, weekStart));
      const from = Date.parse(`${first}T00:00:00Z`) - 2 * 86_400_000;
      const to = Date.parse(`${last}T00:00:00Z`) + 3 * 86_400_000;
      let checked = 0;
      // Every half hour (every zone's local midnight falls on one) and the millisecond before.
      for (let t = from; t < to; t += HOUR / 2) {
        for (const d of [0, -1]) {
          const at = t + d;
          expect(weekOf(at), new Date(at).toISOString()).toBe(
            weekStartOfDay(localDateKey(new Date(at), zone), weekStart),
          );
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(1000);
    },
  );
});
