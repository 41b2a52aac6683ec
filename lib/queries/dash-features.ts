import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";
import { features, type Product, type PropertyFilter } from "../../db/schema/products";
import { formatDayNumber, parseDateKey } from "../metrics/period-resolve";
import { activityRows, weekStartSql } from "./activity-source";

export interface FeatureRef {
  key: string;
  name: string;
  description: string | null;
  eventNames: string[];
  filters: PropertyFilter[];
}

/** A product's features (key, name, events), by key. */
export async function listFeatureRefs(db: Db, productId: number): Promise<FeatureRef[]> {
  return db
    .select({
      key: features.key,
      name: features.name,
      description: features.description,
      eventNames: features.eventNames,
      filters: features.filters,
    })
    .from(features)
    .where(eq(features.productId, productId))
    .orderBy(asc(features.key));
}

/** The features an event belongs to (a funnel step's feature). */
export function featuresOfEvent(list: readonly FeatureRef[], event: string): FeatureRef[] {
  return list.filter((f) => f.eventNames.includes(event));
}

/** Linked comments and mentions of each feature in [start, end): how many, and their net sentiment. */
export async function getFeatureFeedback(
  db: Db,
  params: { productId: number; start: Date; end: Date },
): Promise<Map<string, { items: number; netSentiment: number | null }>> {
  const rows = await queryRows<{ key: string; items: number; scored: number; pos: number; neg: number }>(
    db,
    sql`with linked as (
          select unnest(feature_keys) as key, sentiment from survey_responses
          where product_id = ${params.productId} and coalesce(btrim(comment), '') <> ''
            and submitted_at >= ${sqlTimestamp(params.start)} and submitted_at < ${sqlTimestamp(params.end)}
          union all
          select unnest(feature_keys) as key, sentiment from mentions
          where product_id = ${params.productId}
            and created_at >= ${sqlTimestamp(params.start)} and created_at < ${sqlTimestamp(params.end)}
        )
        select key, count(*)::int as items, count(sentiment)::int as scored,
          (count(*) filter (where sentiment > 0.05))::int as pos,
          (count(*) filter (where sentiment < -0.05))::int as neg
        from linked group by key`,
  );
  return new Map(
    rows.map((r) => [
      r.key,
      {
        items: Number(r.items),
        // Same rule as net_sentiment in docs/metrics.md.
        netSentiment: Number(r.scored) ? (Number(r.pos) - Number(r.neg)) / Number(r.scored) : null,
      },
    ]),
  );
}

/**
 * Adopters per feature and product week (weeks starting at `weekStarts`),
 * in one pass over the rollup. Features with property filters need raw
 * events and are left out (the adoption report covers them).
 */
export async function getWeeklyFeatureAdopters(
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
  const pairs = plain.flatMap((f) => f.eventNames.map((e) => sql`(${f.key}, ${e})`));
  const scope = {
    productId: product.id,
    zone: product.timezone,
    firstDay: first,
    endDay: formatDayNumber(parseDateKey(last) + 7),
    events: [...new Set(plain.flatMap((f) => f.eventNames))],
  };
  const rows = await queryRows<{ key: string; week: string; n: number }>(
    db,
    sql`select m.key, ${weekStartSql(sql.raw("a.day"), product.weekStart)}::text as week, count(distinct a.actor)::int as n
        from (${activityRows("rollup", scope)}) a
        join (values ${sql.join(pairs, sql`, `)}) as m(key, event) on m.event = a.event
        group by 1, 2`,
  );
  for (const r of rows) out.get(r.key)?.set(r.week, Number(r.n));
  return out;
}
