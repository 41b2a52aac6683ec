import { sql } from "drizzle-orm";
import type { Db } from "./client";

/**
 * Refresh the planner's statistics. PostgreSQL servers do this on their own
 * (autovacuum); embedded PGlite has no autovacuum, and without statistics the
 * planner assumes one-row tables and picks nested loops that turn a 30 ms
 * dashboard query into seconds. Run after bulk loads and at start on PGlite.
 */
export async function analyzeDatabase(db: Db): Promise<void> {
  await db.execute(sql`analyze`);
}

/**
 * Vacuum and analyze: also what PGlite lacks without autovacuum. Compaction
 * of session pieces deletes and rewrites rows; without vacuum their dead
 * versions stay in the indexes, and index-only scans fetch every heap page
 * because the visibility map is never set. Run at start on PGlite.
 */
export async function vacuumAnalyzeDatabase(db: Db): Promise<void> {
  await db.execute(sql`vacuum analyze`);
}
