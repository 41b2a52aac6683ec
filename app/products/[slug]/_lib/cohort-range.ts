import {
  formatDayNumber,
  parseDateKey,
  type ResolvedPeriod,
  resolvePeriod,
  weekStartOfDay,
} from "../../../../lib/metrics/period-resolve";
import type { WeekStart } from "../../../../lib/metrics/periods";

/** Cohort weeks shown when the period is a day or a week. */
export const COHORT_WEEKS = 8;

/**
 * The cohort range of a retention view: for a day or a week, the eight weeks
 * ending with it (one cohort says little); a month or custom range is used as
 * it is.
 */
export function cohortRange(period: ResolvedPeriod, zone: string, weekStart: WeekStart): ResolvedPeriod {
  if (period.kind === "month" || period.kind === "custom") return period;
  const last = weekStartOfDay(period.lastDay, weekStart);
  const first = formatDayNumber(parseDateKey(last) - 7 * (COHORT_WEEKS - 1));
  return resolvePeriod({ from: first, to: formatDayNumber(parseDateKey(last) + 6) }, zone, weekStart);
}
