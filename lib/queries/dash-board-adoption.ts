import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlList } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { formatDayNumber, parseDateKey } from "../metrics/period-resolve";
import { weekOfDateSql } from "./activity-source";
import type { FeatureRef } from "./dash-features";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

/**
 * Adopters per feature and product week (weeks starting at `weekStarts`):
 * the adoption report's trend numbers for those weeks, read so that the work
 * follows the feature events rather than the whole rollup: only the features'
 * events' `event_actor_days` rows of the weeks are read (the (product, event,
 * day) index) with their stored persons (lib/queries/stored-actor.ts), and
 * the distinct (feature, week, actor) triples counted by hashing rather than
 * sorting. Features with property filters (or no events) are left out (the
 * adoption report covers them); weeks without adopters are absent.
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
  const events = sqlList([...new Set(plain.flatMap((f) => f.eventNames))]);
  const pairs = plain.flatMap((f) => f.eventNames.map((e) => sql`(${f.key}::text, ${e}::text)`));
  const rows = await queryRows<{ key: string; week: string; n: number }>(
    db,
    sql`select d.key, d.week::text as week, count(*)::int as n
        from (
          select distinct m.key, ${weekOfDateSql("r.day", product.weekStart)} as week,
            ${STORED_ACTOR} as actor
          from event_actor_days r
          join (values ${sql.join(pairs, sql`, `)}) as m(key, event) on m.event = r.event
          ${PENDING_LINK_JOIN}
          where r.product_id = ${product.id} and r.event in (${events})
            and r.day >= ${first}::date and r.day < ${end}::date
        ) d
        group by 1, 2`,
  );
  for (const r of rows) out.get(r.key)?.set(r.week, Number(r.n));
  return out;
}
