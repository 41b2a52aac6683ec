import { desc, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type ImportRun, importRuns } from "../../db/schema/ingest";

/**
 * The newest runs across the given products (those the access layer says the
 * viewer may read), newest first. No product ids: no rows, never "all".
 */
export async function listRunsOfProducts(
  db: Db,
  params: { productIds: number[]; limit?: number },
): Promise<ImportRun[]> {
  if (params.productIds.length === 0) return [];
  return db
    .select()
    .from(importRuns)
    .where(inArray(importRuns.productId, params.productIds))
    .orderBy(desc(importRuns.startedAt), desc(importRuns.id))
    .limit(params.limit ?? 100);
}
