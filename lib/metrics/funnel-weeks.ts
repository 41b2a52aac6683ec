import { formatDayNumber, localMidnight, parseDateKey, weekStartOfDay } from "./period-resolve";
import { localDateKey, type WeekStart } from "./periods";

/**
 * The product weeks listed for a funnel's trend, and a fast `weekOf` for entry
 * instants: the week whose local midnights [first day, first day + 7) hold the
 * instant (the same boundaries periods are made of, so a DST week is 167 or
 * 169 hours), found by binary search instead of formatting every entry's
 * local date. Instants outside the listed weeks take the slow exact route.
 * `bounds` are those midnights in epoch ms: week i is [bounds[i], bounds[i + 1]).
 */
export function funnelWeeks(
  firstDay: string,
  lastDay: string,
  zone: string,
  weekStart: WeekStart,
): { weeks: string[]; bounds: number[]; weekOf: (t: number) => string } {
  const weeks: string[] = [];
  const last = parseDateKey(weekStartOfDay(lastDay, weekStart));
  for (let w = parseDateKey(weekStartOfDay(firstDay, weekStart)); w <= last; w += 7)
    weeks.push(formatDayNumber(w));
  const bounds = [...weeks, formatDayNumber(last + 7)].map((d) => localMidnight(d, zone).getTime());
  const exact = (t: number) => weekStartOfDay(localDateKey(new Date(t), zone), weekStart);
  const weekOf = (t: number): string => {
    if (!(t >= (bounds[0] as number) && t < (bounds[bounds.length - 1] as number))) return exact(t);
    let lo = 0;
    let hi = weeks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((bounds[mid] as number) <= t) lo = mid;
      else hi = mid - 1;
    }
    return weeks[lo] as string;
  };
  return { weeks, bounds, weekOf };
}
