import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import { features } from "../../db/schema/products";
import { type AdoptionFigures, computeAdoption } from "../metrics/adoption";
import type { ResolvedPeriod } from "../metrics/period-resolve";
import { safeRatio } from "../metrics/ratios";
import type { ActivitySource } from "./activity-source";
import { countAdoptionGrouped } from "./adoption-grouped";
import { planAdoption } from "./adoption-plan";
import { countAdoptionFromRawEvents } from "./adoption-raw";

export { ADOPTION_TREND_WEEKS } from "./adoption-plan";

type ProductRef = Pick<Product, "id" | "slug" | "timezone" | "weekStart">;

export interface FeatureAdoption extends AdoptionFigures {
  key: string;
  name: string;
  event_names: string[];
  trend: { week: string; adopters: number; active_users: number; adoption_rate: number | null }[];
}

export interface AdoptionReport {
  product: string;
  features: FeatureAdoption[];
}

export interface AdoptionParams {
  product: ProductRef;
  period: ResolvedPeriod;
  /** "rollup" (default): grouped queries on the rollup; "raw": the naive per-feature reference on raw events. */
  source?: ActivitySource;
}

/**
 * Adoption of every feature of a product in a period: adopters, adoption rate
 * among active actors, first-time adopters, uses, mean uses per adopter,
 * retention of the previous period's adopters vs non-adopters into this
 * period, and the adoption trend by week.
 */
export async function getAdoptionReport(db: Db, params: AdoptionParams): Promise<AdoptionReport> {
  return (await getAdoptionWithPrevious(db, params)).report;
}

/**
 * The adoption report plus each feature's adoption rate in the previous
 * period (what the features page compares with), which the report's
 * retention figures already count.
 */
export async function getAdoptionWithPrevious(
  db: Db,
  params: AdoptionParams,
): Promise<{ report: AdoptionReport; previousRates: Map<string, number | null> }> {
  const { product, period } = params;
  const list = await db
    .select()
    .from(features)
    .where(eq(features.productId, product.id))
    .orderBy(asc(features.key));
  const plan = planAdoption(product, period, list);
  const counted =
    (params.source ?? "rollup") === "raw"
      ? await countAdoptionFromRawEvents(db, plan)
      : await countAdoptionGrouped(db, plan);
  const out: FeatureAdoption[] = list.map((f) => {
    const weekly = counted.weeklyAdopters.get(f.key);
    const trend = plan.weeks.map((w) => {
      const adopters = weekly?.get(w.firstDay) ?? 0;
      const weekActive = counted.weeklyActive.get(w.firstDay) ?? 0;
      return {
        week: w.firstDay,
        adopters,
        active_users: weekActive,
        adoption_rate: safeRatio(adopters, weekActive),
      };
    });
    const figures = computeAdoption(counted.counts.get(f.key) as Parameters<typeof computeAdoption>[0]);
    return { key: f.key, name: f.name, event_names: f.eventNames, ...figures, trend };
  });
  const previousRates = new Map(
    list.map((f) => [f.key, safeRatio(counted.previousAdopters.get(f.key) ?? 0, counted.previousActive)]),
  );
  return { report: { product: product.slug, features: out }, previousRates };
}
