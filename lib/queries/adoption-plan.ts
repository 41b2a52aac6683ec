import type { SQL } from "drizzle-orm";
import type { Product } from "../../db/schema/products";
import type { AdoptionCounts } from "../metrics/adoption";
import {
  formatDayNumber,
  parseDateKey,
  previousPeriod,
  type ResolvedPeriod,
  weekOfDay,
} from "../metrics/period-resolve";
import type { PropertyFilter } from "../metrics/property-filters";
import { type ActivityScope, weekStartSql } from "./activity-source";

type ProductRef = Pick<Product, "id" | "timezone" | "weekStart">;

/** Weeks shown in each feature's adoption trend, ending with the period's last week. */
export const ADOPTION_TREND_WEEKS = 8;

export interface FeatureDefinition {
  key: string;
  eventNames: readonly string[];
  filters: readonly PropertyFilter[];
}

/** The scopes one adoption report reads, shared by the grouped and the naive computation. */
export interface AdoptionPlan {
  productId: number;
  features: readonly FeatureDefinition[];
  /** The period. */
  cur: ActivityScope & { firstDay: string; endDay: string };
  /** The period before (retention is measured from it into this one). */
  prev: ActivityScope;
  /** Everything up to the period's end (first use ever). */
  history: ActivityScope;
  /** Everything before the period (a use there means the adopter is not new). */
  before: ActivityScope;
  /** The trend's weeks, as one scope. */
  span: ActivityScope;
  weeks: ResolvedPeriod[];
  /** SQL for the first day of the product week of a date expression. */
  weekOf(day: SQL): SQL;
}

/** What both computations return: per-feature counts, and the weekly and previous-period figures. */
export interface PlannedCounts {
  counts: Map<string, AdoptionCounts>;
  weeklyActive: Map<string, number>;
  weeklyAdopters: Map<string, Map<string, number>>;
  /** Distinct actors who used each feature in the previous period. */
  previousAdopters: Map<string, number>;
  /** Distinct active actors of the previous period. */
  previousActive: number;
}

function scopeOf(
  product: ProductRef,
  p: Pick<ResolvedPeriod, "start" | "end" | "firstDay" | "lastDay">,
): ActivityScope & { firstDay: string; endDay: string } {
  return {
    productId: product.id,
    zone: product.timezone,
    start: p.start,
    end: p.end,
    firstDay: p.firstDay,
    endDay: formatDayNumber(parseDateKey(p.lastDay) + 1),
  };
}

/** The scopes and weeks of an adoption report for a period. */
export function planAdoption(
  product: ProductRef,
  period: ResolvedPeriod,
  features: readonly FeatureDefinition[],
): AdoptionPlan {
  const cur = scopeOf(product, period);
  const lastWeek = weekOfDay(period.lastDay, product.timezone, product.weekStart);
  const weeks = Array.from({ length: ADOPTION_TREND_WEEKS }, (_, i) => {
    const first = formatDayNumber(parseDateKey(lastWeek.firstDay) - 7 * (ADOPTION_TREND_WEEKS - 1 - i));
    return weekOfDay(first, product.timezone, product.weekStart);
  });
  const zone = product.timezone;
  return {
    productId: product.id,
    features,
    cur,
    prev: scopeOf(product, previousPeriod(period, zone)),
    history: { productId: product.id, zone, end: cur.end, endDay: cur.endDay },
    before: { productId: product.id, zone, end: cur.start, endDay: cur.firstDay },
    span: scopeOf(product, { ...(weeks[0] as ResolvedPeriod), lastDay: lastWeek.lastDay, end: lastWeek.end }),
    weeks,
    weekOf: (day) => weekStartSql(day, product.weekStart),
  };
}
