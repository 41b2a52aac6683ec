import { type SQL, sql } from "drizzle-orm";
import { type AnalyticalSettings, analyticalDb, type Db } from "../../db/client";
import { queryRows } from "../../db/rows";

/**
 * Run one analytical statement (funnels, retention, adoption: scans of a few
 * hundred thousand rows) with PostgreSQL's JIT compilation off and more memory
 * for sorts and hashes. The planner's cost of such a scan passes
 * `jit_above_cost`, and compiling the plan then takes seconds (measured at 10M
 * events: 4-8 s on a funnel statement that runs in less) for no gain; the
 * default 4 MB `work_mem` spills their grouping to disk (64 MB: 20-35% faster
 * at 1M events).
 * `sortedGroups`: group by sorting instead of hashing (grouping a few hundred
 * thousand text keys, each in its own group, costs PostgreSQL 15 about a third
 * more CPU in a hash table than sorted by a `collate "C"` key).
 * `hashedGroups`: the opposite, sort only where nothing else can (a window's
 * input): PostgreSQL 15 otherwise sorts a window's few hundred thousand
 * output rows again to group them by day.
 * `parallel`: let the planner use parallel workers without charging for
 * starting them and passing rows back (its defaults keep a statement of a few
 * hundred thousand rows serial even when splitting its scan, join and sort
 * across the cores is faster).
 *
 * On a PostgreSQL server the statement runs on connections that already have
 * these settings (db/client.ts analyticalDb), outside any transaction: a
 * transaction whose connection the server ends would crash the process
 * (porsager/postgres#1208). The embedded database, in this process or served
 * by the app, gets them by `set local` in a transaction of the statement's own.
 */
export async function analyticalQuery<T>(db: Db, query: SQL, options: AnalyticalSettings = {}): Promise<T[]> {
  const pooled = analyticalDb(db, options);
  if (pooled) return queryRows<T>(pooled, query);
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    if (options.sortedGroups) await tx.execute(sql`set local enable_hashagg = off`);
    if (options.hashedGroups) await tx.execute(sql`set local enable_sort = off`);
    if (options.parallel) {
      await tx.execute(sql`set local parallel_setup_cost = 0`);
      await tx.execute(sql`set local parallel_tuple_cost = 0`);
    }
    return queryRows<T>(tx as unknown as Db, query);
  });
}
