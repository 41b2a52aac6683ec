import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import { type Comparison, compareValues } from "../metrics/compare";
import { lastFullWeek, type Period, shiftWeeks } from "../metrics/periods";
import { countActiveActors } from "./active-users";
import { listProducts } from "./products";

type ProductRef = Pick<Product, "id" | "slug" | "name" | "timezone" | "weekStart">;

export interface WeeklyActiveSummary {
  product: ProductRef;
  week: Period;
  wau: Comparison;
}

/** Weekly active users of the last full week (in the product's zone and week start) vs the week before. */
export async function getWeeklyActiveSummary(
  db: Db,
  params: { product: ProductRef; now: Date },
): Promise<WeeklyActiveSummary> {
  const { id, slug, name, timezone, weekStart } = params.product;
  const week = lastFullWeek(params.now, timezone, weekStart);
  const previous = shiftWeeks(week, -1, timezone);
  const [current, before] = await Promise.all([
    countActiveActors(db, { productId: id, ...week }),
    countActiveActors(db, { productId: id, ...previous }),
  ]);
  return { product: { id, slug, name, timezone, weekStart }, week, wau: compareValues(current, before) };
}

/** Every product's weekly active summary, for the portfolio page. */
export async function getPortfolioSummary(db: Db, params: { now: Date }): Promise<WeeklyActiveSummary[]> {
  const all = await listProducts(db);
  return Promise.all(all.map((product) => getWeeklyActiveSummary(db, { product, now: params.now })));
}
