import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { formatDayNumber, parseDateKey } from "../metrics/period-resolve";
import { weekStartSql } from "./activity-source";
import type { FeatureRef } from "./dash-features";

/**
 * Adopters per feature and product week (weeks starting at `weekStarts`):
 * getWeeklyFeatureAdopters' numbers, read so that the work follows the
 * feature events rather than the whole rollup: each (feature, event) pair
 * reads its event's `event_actor_days` rows through the (product, event, day)
 * index, and the identity of a row is looked up only when it has no user id.
 * Features with property filters (or no events) are left out, as there.
 */
export async function getBoardFeatureAdopters(
  db: Db,
  params: {
    product: Pick<Product, "id" | "timezone" | "weekStart">;
    features: readonly FeatureRef[];
    weekStarts: readonly string[];
  },
): Promise<Map<string, Map<string, number>>> {
  const { product, weekStarts } = params;
  const plain = params.features.filter((f) => f.filters.length === 0 && f.eventNames.length > 0);
  const first = weekStarts[0];
  const last = weekStarts.at(-1);
  const out = new Map<string, Map<string, number>>(plain.map((f) => [f.key, new Map()]));
  if (!first || !last || plain.length === 0) return out;
  const end = formatDayNumber(parseDateKey(last) + 7);
  const pairs = plain.flatMap((f) => f.eventNames.map((e) => sql`(${f.key}::text, ${e}::text)`));
  const rows = await queryRows<{ key: string; week: string; n: number }>(
    db,
    sql`select m.key, ${weekStartSql(sql.raw("a.day"), product.weekStart)}::text as week,
          count(distinct a.actor)::int as n
        from (values ${sql.join(pairs, sql`, `)}) as m(key, event)
        cross join lateral (
          select coalesce(nullif(r.user_id, ''),
              (select i.user_id from identities i
               where i.product_id = r.product_id and i.anonymous_id = r.anonymous_id),
              r.anonymous_id) as actor, r.day
          from event_actor_days r
          where r.product_id = ${product.id} and r.event = m.event
            and r.day >= ${first}::date and r.day < ${end}::date
        ) a
        group by 1, 2`,
  );
  for (const r of rows) out.get(r.key)?.set(r.week, Number(r.n));
  return out;
}
