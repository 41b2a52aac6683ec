import { tz } from "@date-fns/tz";
import { addDays, addWeeks, format, startOfDay, startOfWeek } from "date-fns";

export type WeekStart = "monday" | "sunday";

/** A half-open interval of instants: `start <= t < end`. */
export interface Period {
  start: Date;
  end: Date;
}

const WEEK_STARTS_ON = { monday: 1, sunday: 0 } as const;

/** True when `zone` is an IANA time zone this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The week that contains `instant`, in the product's zone: from local midnight
 * of its first day to local midnight seven calendar days later. Across a DST
 * change the week is 167 or 169 hours long, as a person there would count it.
 */
export function weekContaining(instant: Date, zone: string, weekStart: WeekStart): Period {
  const start = startOfWeek(instant, { in: tz(zone), weekStartsOn: WEEK_STARTS_ON[weekStart] });
  const end = addWeeks(start, 1, { in: tz(zone) });
  return { start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

/** The last week that has fully ended before `now` (the Monday review's week). */
export function lastFullWeek(now: Date, zone: string, weekStart: WeekStart): Period {
  const current = weekContaining(now, zone, weekStart);
  return shiftWeeks(current, -1, zone);
}

/** The same span moved by whole local weeks (DST-aware). */
export function shiftWeeks(period: Period, weeks: number, zone: string): Period {
  return {
    start: new Date(addWeeks(period.start, weeks, { in: tz(zone) }).getTime()),
    end: new Date(addWeeks(period.end, weeks, { in: tz(zone) }).getTime()),
  };
}

/** The local day containing `instant`. */
export function dayContaining(instant: Date, zone: string): Period {
  const start = startOfDay(instant, { in: tz(zone) });
  return { start: new Date(start.getTime()), end: new Date(addDays(start, 1, { in: tz(zone) }).getTime()) };
}

/** `YYYY-MM-DD` of the local day an instant falls on. */
export function localDateKey(instant: Date, zone: string): string {
  return format(instant, "yyyy-MM-dd", { in: tz(zone) });
}

/** Label for a week period, e.g. "Nov 16 – Nov 22, 2026" (end shown inclusive). */
export function formatWeekLabel(period: Period, zone: string): string {
  const lastDay = new Date(period.end.getTime() - 1);
  const from = format(period.start, "MMM d", { in: tz(zone) });
  const to = format(lastDay, "MMM d, yyyy", { in: tz(zone) });
  return `${from} – ${to}`;
}
