import { TZDate } from "@date-fns/tz";
import type { Period, WeekStart } from "./periods";

export type PeriodKind = "day" | "week" | "month" | "custom";

/** A period as the user named it, resolved to instants in the product's zone. */
export interface ResolvedPeriod extends Period {
  kind: PeriodKind;
  /** First local day, YYYY-MM-DD. */
  firstDay: string;
  /** Last local day, inclusive, YYYY-MM-DD. */
  lastDay: string;
  /** How the user would name it: "2026-W47", "2026-11", "2026-11-20", "2026-11-01..2026-11-14". */
  label: string;
}

/** Exactly one of: day, week, month, or from + to (inclusive local dates). */
export interface PeriodInput {
  day?: string;
  week?: string;
  month?: string;
  from?: string;
  to?: string;
}

/** Longest custom range accepted, in days: keeps a typo from scanning decades. */
export const MAX_CUSTOM_DAYS = 731;

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A malformed or contradictory period argument, with a message fit for the user. */
export class PeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PeriodError";
  }
}

/** Days since 1970-01-01 of a valid YYYY-MM-DD calendar date; throws PeriodError otherwise. */
export function parseDateKey(key: string): number {
  const m = DATE_RE.exec(key);
  if (!m) throw new PeriodError(`"${key}" is not a date (expected YYYY-MM-DD)`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new PeriodError(`"${key}" is not a calendar date`);
  }
  return Math.round(ms / DAY_MS);
}

/** YYYY-MM-DD of a day number (days since 1970-01-01). */
export function formatDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The instant local midnight of `dayKey` begins in `zone` (after the gap when DST skips midnight). */
export function localMidnight(dayKey: string, zone: string): Date {
  const day = parseDateKey(dayKey);
  const d = new Date(day * DAY_MS);
  return new Date(new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), zone).getTime());
}

/** A period covering local days [firstDay, firstDay + days). */
function spanOfDays(
  firstDay: number,
  days: number,
  zone: string,
  kind: PeriodKind,
  label: string,
): ResolvedPeriod {
  return {
    kind,
    label,
    firstDay: formatDayNumber(firstDay),
    lastDay: formatDayNumber(firstDay + days - 1),
    start: localMidnight(formatDayNumber(firstDay), zone),
    end: localMidnight(formatDayNumber(firstDay + days), zone),
  };
}

/** Day number of the Monday that starts ISO week `week` of ISO year `year`. */
function isoWeekMonday(year: number, week: number): number {
  const jan4 = Math.round(Date.UTC(year, 0, 4) / DAY_MS);
  const dow = (new Date(jan4 * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow + (week - 1) * 7;
}

/**
 * Parse "YYYY-Www" (ISO 8601 week). For Monday-week products it is the ISO week;
 * for Sunday-week products it is the week that starts the Sunday before that
 * ISO Monday (the US convention's equivalent). Week 53 only exists in long years.
 */
export function parseWeek(text: string, zone: string, weekStart: WeekStart): ResolvedPeriod {
  const m = /^(\d{4})-?W(\d{2})$/i.exec(text.trim());
  if (!m) throw new PeriodError(`"${text}" is not an ISO week (expected YYYY-Www, e.g. 2026-W47)`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  const monday = isoWeekMonday(year, week);
  const thursdayYear = new Date((monday + 3) * DAY_MS).getUTCFullYear();
  if (week < 1 || thursdayYear !== year) throw new PeriodError(`${year} has no week ${week}`);
  const label = `${year}-W${String(week).padStart(2, "0")}`;
  return spanOfDays(weekStart === "sunday" ? monday - 1 : monday, 7, zone, "week", label);
}

/** Parse "YYYY-MM": the calendar month in the product's zone. */
export function parseMonth(text: string, zone: string): ResolvedPeriod {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw new PeriodError(`"${text}" is not a month (expected YYYY-MM)`);
  }
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const first = Math.round(Date.UTC(y, mo - 1, 1) / DAY_MS);
  const next = Math.round(Date.UTC(y, mo, 1) / DAY_MS);
  return spanOfDays(first, next - first, zone, "month", text.trim());
}

/**
 * Resolve the period a command or request names. Dates are local calendar days
 * in the product's zone and `to` is inclusive, so `--from 2026-11-01 --to
 * 2026-11-07` is seven whole local days.
 */
export function resolvePeriod(input: PeriodInput, zone: string, weekStart: WeekStart): ResolvedPeriod {
  const given = [input.day, input.week, input.month, input.from ?? input.to].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new PeriodError("give exactly one period: --day, --week, --month, or --from with --to");
  }
  if (input.day !== undefined) return spanOfDays(parseDateKey(input.day), 1, zone, "day", input.day);
  if (input.week !== undefined) return parseWeek(input.week, zone, weekStart);
  if (input.month !== undefined) return parseMonth(input.month, zone);
  if (input.from === undefined || input.to === undefined)
    throw new PeriodError("--from and --to go together");
  const from = parseDateKey(input.from);
  const to = parseDateKey(input.to);
  if (to < from) throw new PeriodError(`--to ${input.to} is before --from ${input.from}`);
  if (to - from + 1 > MAX_CUSTOM_DAYS)
    throw new PeriodError(`a range may cover at most ${MAX_CUSTOM_DAYS} days`);
  return spanOfDays(from, to - from + 1, zone, "custom", `${input.from}..${input.to}`);
}

/** Number of local days in a resolved period. */
export function countDays(period: Pick<ResolvedPeriod, "firstDay" | "lastDay">): number {
  return parseDateKey(period.lastDay) - parseDateKey(period.firstDay) + 1;
}

/**
 * The period before: the previous day, the previous week, the previous calendar
 * month, or for a custom range the same number of days just before it.
 */
export function previousPeriod(period: ResolvedPeriod, zone: string): ResolvedPeriod {
  const first = parseDateKey(period.firstDay);
  if (period.kind === "month") {
    const d = new Date(first * DAY_MS);
    const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
    return parseMonth(prev.toISOString().slice(0, 7), zone);
  }
  const days = countDays(period);
  const shifted = spanOfDays(first - days, days, zone, period.kind, "");
  shifted.label =
    period.kind === "day"
      ? shifted.firstDay
      : period.kind === "week"
        ? formatIsoWeek(shifted.firstDay)
        : `${shifted.firstDay}..${shifted.lastDay}`;
  return shifted;
}

/**
 * "YYYY-Www" of the week that starts on `firstDay`. A Sunday-week product's week
 * carries the ISO label of the Monday after its Sunday, matching {@link parseWeek}.
 */
export function formatIsoWeek(firstDay: string): string {
  let day = parseDateKey(firstDay);
  if (new Date(day * DAY_MS).getUTCDay() === 0) day += 1;
  const thursday = day + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((day - isoWeekMonday(year, 1)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** Every local day of a period, YYYY-MM-DD, in order. */
export function listDays(period: Pick<ResolvedPeriod, "firstDay" | "lastDay">): string[] {
  const first = parseDateKey(period.firstDay);
  return Array.from({ length: countDays(period) }, (_, i) => formatDayNumber(first + i));
}

/** First day (YYYY-MM-DD) of the week containing local day `dayKey`. */
export function weekStartOfDay(dayKey: string, weekStart: WeekStart): string {
  const day = parseDateKey(dayKey);
  const dow = new Date(day * DAY_MS).getUTCDay(); // Sunday = 0
  const back = weekStart === "monday" ? (dow + 6) % 7 : dow;
  return formatDayNumber(day - back);
}

/** The week (product week start) containing local day `dayKey`, as a period. */
export function weekOfDay(dayKey: string, zone: string, weekStart: WeekStart): ResolvedPeriod {
  const first = weekStartOfDay(dayKey, weekStart);
  return { ...spanOfDays(parseDateKey(first), 7, zone, "week", ""), label: formatIsoWeek(first) };
}

/** The calendar month containing local day `dayKey`, as a period. */
export function monthOfDay(dayKey: string, zone: string): ResolvedPeriod {
  return parseMonth(dayKey.slice(0, 7), zone);
}
