import {
  countDays,
  formatDayNumber,
  parseDateKey,
  type ResolvedPeriod,
  resolvePeriod,
  weekOfDay,
} from "../metrics/period-resolve";
import type { WeekStart } from "../metrics/periods";

/** The period just after `period`, of the same kind and length (the picker's "next" arrow). */
export function nextPeriod(period: ResolvedPeriod, zone: string, weekStart: WeekStart): ResolvedPeriod {
  const after = formatDayNumber(parseDateKey(period.lastDay) + 1);
  if (period.kind === "day") return resolvePeriod({ day: after }, zone, weekStart);
  if (period.kind === "week") return weekOfDay(after, zone, weekStart);
  if (period.kind === "month") return resolvePeriod({ month: after.slice(0, 7) }, zone, weekStart);
  const last = formatDayNumber(parseDateKey(after) + countDays(period) - 1);
  return resolvePeriod({ from: after, to: last }, zone, weekStart);
}

/** True when the period has not fully ended at `now` (its numbers are still moving). */
export function isPeriodOpen(period: Pick<ResolvedPeriod, "end">, now: Date): boolean {
  return period.end.getTime() > now.getTime();
}
