import { formatDayNumber, parseDateKey, type ResolvedPeriod } from "../../../../lib/metrics/period-resolve";
import type { DayRange } from "../../../../lib/queries/dash-series";

/** Days shown on daily trend charts: eight weeks ending with the period, or the whole period when longer. */
export const TREND_DAYS = 56;

/** The daily trend window for a period (capped at 366 days so a long custom range stays readable). */
export function trendRange(period: Pick<ResolvedPeriod, "firstDay" | "lastDay">): DayRange {
  const last = parseDateKey(period.lastDay);
  const first = Math.min(parseDateKey(period.firstDay), last - TREND_DAYS + 1);
  return { firstDay: formatDayNumber(Math.max(first, last - 365)), lastDay: period.lastDay };
}

/** "11-16" style axis labels (month-day), short enough for a phone. */
export const dayLabel = (day: string) => day.slice(5);
