import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { kpiTargets } from "../../db/schema/products";

/** Remove the target of one KPI for one period kind; false when there was none. */
export async function deleteTarget(
  db: Db,
  params: { productId: number; metric: string; period: "day" | "week" | "month" },
): Promise<boolean> {
  const rows = await db
    .delete(kpiTargets)
    .where(
      and(
        eq(kpiTargets.productId, params.productId),
        eq(kpiTargets.metric, params.metric),
        eq(kpiTargets.period, params.period),
      ),
    )
    .returning({ id: kpiTargets.id });
  return rows.length > 0;
}
