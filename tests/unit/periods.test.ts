import { describe, expect, it } from "vitest";
import {
  dayContaining,
  formatWeekLabel,
  isValidTimeZone,
  lastFullWeek,
  localDateKey,
  shiftWeeks,
  weekContaining,
} from "../../lib/metrics/periods";

const HOUR = 3600_000;

describe("weeks in the product's time zone", () => {
  it("takes the last full ISO week (Monday start) before a Friday in UTC", () => {
    // 2026-11-27 is a Friday.
    const week = lastFullWeek(new Date("2026-11-27T12:00:00Z"), "UTC", "monday");
    expect(week.start.toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(week.end.toISOString()).toBe("2026-11-23T00:00:00.000Z");
  });

  it("starts weeks on Sunday when the product says so", () => {
    const week = lastFullWeek(new Date("2026-11-27T12:00:00Z"), "UTC", "sunday");
    expect(week.start.toISOString()).toBe("2026-11-15T00:00:00.000Z");
    expect(week.end.toISOString()).toBe("2026-11-22T00:00:00.000Z");
  });

  it("uses local midnight in a zone ahead of UTC (Asia/Tokyo, UTC+9)", () => {
    // Monday 2026-11-23 03:00 in Tokyo is still Sunday 18:00 UTC: the current week has just begun there.
    const week = lastFullWeek(new Date("2026-11-22T18:00:00Z"), "Asia/Tokyo", "monday");
    expect(week.start.toISOString()).toBe("2026-11-15T15:00:00.000Z");
    expect(week.end.toISOString()).toBe("2026-11-22T15:00:00.000Z");
  });

  it("makes the week with the autumn DST change 169 hours long (Europe/Berlin, 2026-10-25)", () => {
    const week = weekContaining(new Date("2026-10-25T12:00:00Z"), "Europe/Berlin", "monday");
    expect(week.start.toISOString()).toBe("2026-10-18T22:00:00.000Z"); // Mon 00:00 CEST
    expect(week.end.toISOString()).toBe("2026-10-25T23:00:00.000Z"); // next Mon 00:00 CET
    expect((week.end.getTime() - week.start.getTime()) / HOUR).toBe(169);
  });

  it("makes the week with the spring DST change 167 hours long (America/New_York, 2026-03-08)", () => {
    const week = weekContaining(new Date("2026-03-08T12:00:00Z"), "America/New_York", "sunday");
    expect(week.start.toISOString()).toBe("2026-03-08T05:00:00.000Z"); // Sun 00:00 EST
    expect((week.end.getTime() - week.start.getTime()) / HOUR).toBe(167);
  });

  it("puts 23:59 local on the DST Sunday in that week, and 00:00 Monday in the next", () => {
    const sunday2359 = new Date("2026-10-25T22:59:00Z"); // 23:59 CET
    const week = weekContaining(sunday2359, "Europe/Berlin", "monday");
    expect(sunday2359 >= week.start && sunday2359 < week.end).toBe(true);
    expect(week.end.toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("shifts a week back by local weeks across DST", () => {
    const week = weekContaining(new Date("2026-10-28T12:00:00Z"), "Europe/Berlin", "monday");
    const before = shiftWeeks(week, -1, "Europe/Berlin");
    expect(before.start.toISOString()).toBe("2026-10-18T22:00:00.000Z");
    expect(before.end.toISOString()).toBe(week.start.toISOString());
  });

  it("finds local days and their keys", () => {
    const instant = new Date("2026-11-22T23:30:00Z");
    expect(localDateKey(instant, "UTC")).toBe("2026-11-22");
    expect(localDateKey(instant, "Asia/Tokyo")).toBe("2026-11-23");
    const day = dayContaining(instant, "Asia/Tokyo");
    expect(day.start.toISOString()).toBe("2026-11-22T15:00:00.000Z");
  });

  it("labels a week with its inclusive last day", () => {
    const week = lastFullWeek(new Date("2026-11-27T12:00:00Z"), "UTC", "monday");
    expect(formatWeekLabel(week, "UTC")).toBe("Nov 16 – Nov 22, 2026");
  });

  it("knows real IANA zones from made-up ones", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});
