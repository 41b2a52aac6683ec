import type { Db } from "../../db/client";
import { applyPendingLinks, compactSessionPieces } from "../../lib/queries/rollups";

/** How long after the first pushed batch a product's new session pieces are compacted. */
export const COMPACT_DELAY_MS = 30_000;

const pending = new Set<number>();

/**
 * Events pushed over HTTP arrive a few at a time, and each batch appends its
 * own session pieces. Merge them once per product every COMPACT_DELAY_MS
 * while pushes keep coming, off the request path, and apply the identity
 * links pushed meanwhile to the pieces written before them. The numbers are exact
 * without it, so a failure (say, the database is down) only waits for the
 * next push.
 */
export function scheduleCompaction(db: Db, productId: number, delayMs = COMPACT_DELAY_MS): void {
  if (pending.has(productId)) return;
  pending.add(productId);
  const timer = setTimeout(() => {
    compactSessionPieces(db, productId)
      .catch(() => undefined)
      .then(() => applyPendingLinks(db))
      .finally(() => pending.delete(productId));
  }, delayMs);
  timer.unref();
}
