import { z } from "zod";
import {
  PeriodError,
  type PeriodKind,
  previousPeriod,
  type ResolvedPeriod,
  resolvePeriod,
  weekOfDay,
} from "../metrics/period-resolve";
import { lastFullWeek, localDateKey, type WeekStart } from "../metrics/periods";
import { firstParam, type SearchParams } from "./search";

/** The URL keys that name a period; every dashboard page shares them (and the picker writes them). */
export const PERIOD_KEYS = ["day", "week", "month", "from", "to"] as const;

const text = z.preprocess(
  (v) => firstParam(v as string | string[] | undefined),
  z.string().max(40).optional(),
);

/** The period part of every dashboard URL: at most one of day, week, month, or from + to. */
export const periodParamsSchema = z.object({ day: text, week: text, month: text, from: text, to: text });
export type PeriodParams = z.infer<typeof periodParamsSchema>;

export interface PagePeriod {
  period: ResolvedPeriod;
  previous: ResolvedPeriod;
  /** The URL values that produced it (empty for the default), to keep in links. */
  params: PeriodParams;
  /** Set when the URL named a period that could not be read: the page shows the default and says why. */
  warning: string | null;
  isDefault: boolean;
}

/** The last full week (product zone and week start) before `now`, as a resolved period. */
export function defaultPeriod(now: Date, zone: string, weekStart: WeekStart): ResolvedPeriod {
  const week = lastFullWeek(now, zone, weekStart);
  return weekOfDay(localDateKey(week.start, zone), zone, weekStart);
}

/**
 * The period a dashboard URL names, in the product's zone: the last full week
 * when none is given; when the URL's period is malformed or contradictory, the
 * default again with a warning (a shared link with a typo still opens).
 */
export function readPagePeriod(
  search: SearchParams,
  product: { timezone: string; weekStart: WeekStart },
  now: Date,
): PagePeriod {
  const params = periodParamsSchema.parse(search);
  const fallback = (warning: string | null): PagePeriod => {
    const period = defaultPeriod(now, product.timezone, product.weekStart);
    return {
      period,
      previous: previousPeriod(period, product.timezone),
      params: {},
      warning,
      isDefault: true,
    };
  };
  if (Object.values(params).every((v) => v === undefined)) return fallback(null);
  try {
    const period = resolvePeriod(params, product.timezone, product.weekStart);
    return {
      period,
      previous: previousPeriod(period, product.timezone),
      params,
      warning: null,
      isDefault: false,
    };
  } catch (err) {
    if (err instanceof PeriodError) return fallback(`${err.message}; showing the last full week instead.`);
    throw err;
  }
}

/** URL params naming a resolved period (the inverse of readPagePeriod). */
export function periodToParams(period: ResolvedPeriod): PeriodParams {
  const kind: PeriodKind = period.kind;
  if (kind === "day") return { day: period.firstDay };
  if (kind === "week") return { week: period.label };
  if (kind === "month") return { month: period.label };
  return { from: period.firstDay, to: period.lastDay };
}
