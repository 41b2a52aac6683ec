import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { importRuns, rejectedRows } from "../../db/schema/ingest";

/** A product's import, sync, API and demo runs, newest first. */
export async function listImportRuns(db: Db, params: { productId: number; limit?: number }) {
  return db
    .select()
    .from(importRuns)
    .where(eq(importRuns.productId, params.productId))
    .orderBy(desc(importRuns.startedAt), desc(importRuns.id))
    .limit(params.limit ?? 50);
}

/** One run of a product with its rejected rows (line, reason, raw text), in file order. */
export async function getImportRun(
  db: Db,
  params: { productId: number; runId: number; rejectLimit?: number },
) {
  const [run] = await db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.id, params.runId), eq(importRuns.productId, params.productId)));
  if (!run) return null;
  const rejects = await db
    .select({ line: rejectedRows.line, reason: rejectedRows.reason, raw: rejectedRows.raw })
    .from(rejectedRows)
    .where(and(eq(rejectedRows.runId, run.id), eq(rejectedRows.productId, params.productId)))
    .orderBy(asc(rejectedRows.line), asc(rejectedRows.id))
    .limit(params.rejectLimit ?? 1000);
  return { run, rejects };
}

/** Which product a run belongs to (for a CLI given only a run id). */
export async function findRunProductId(db: Db, runId: number): Promise<number | null> {
  const [row] = await db
    .select({ productId: importRuns.productId })
    .from(importRuns)
    .where(eq(importRuns.id, runId));
  return row?.productId ?? null;
}
