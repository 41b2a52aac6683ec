import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";

/** Events whose properties the breakdown picker samples, most recent first. */
const SAMPLE = 2000;

/**
 * Property keys seen on a product's most recent events (the breakdown
 * picker), most frequent first: the same answer as `listPropertyKeys` in
 * lib/queries/dash-events.ts, faster. The sample is first looked for in the
 * three days before the product's latest event (a range of the time index,
 * which an engine without planner statistics also reads as a range, instead
 * of sorting every event of the product); a product with fewer events there
 * is sampled from all of them.
 */
export async function listSampledPropertyKeys(db: Db, productId: number): Promise<string[]> {
  const keysOf = (recent: boolean) =>
    queryRows<{ key: string; sampled: number }>(
      db,
      sql`with s as (
            select e.properties from events e
            where e.product_id = ${productId} and jsonb_typeof(e.properties) = 'object'
              ${
                recent
                  ? sql`and e.timestamp >= (select max(x.timestamp) from events x where x.product_id = ${productId})
                          - interval '3 days'`
                  : sql``
              }
            order by e.timestamp desc limit ${SAMPLE}
          )
          select k.key, (select count(*) from s)::int as sampled
          from (select k as key, count(*) as n from s, jsonb_object_keys(s.properties) k group by k) k
          order by k.n desc, k.key limit 50`,
    );
  let rows = await keysOf(true);
  if (Number(rows[0]?.sampled ?? 0) < SAMPLE) rows = await keysOf(false);
  return rows.map((r) => r.key);
}
