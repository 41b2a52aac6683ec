import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";
import { features, type PropertyFilter } from "../../db/schema/products";

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
