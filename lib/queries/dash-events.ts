import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";

/** Event names a product has received, most used first (from the rollup), for pickers. */
export async function listEventNames(
  db: Db,
  productId: number,
): Promise<{ event: string; events: number }[]> {
  const rows = await queryRows<{ event: string; n: number }>(
    db,
    sql`select event, sum(events)::int as n from event_actor_days
        where product_id = ${productId} and event <> 'identify'
        group by event order by 2 desc, 1 limit 500`,
  );
  return rows.map((r) => ({ event: r.event, events: Number(r.n) }));
}

/** Acquisition steps tried, in order, when a product has no saved funnel. */
export const DEFAULT_FUNNEL_EVENTS = ["pageview", "signed_up", "subscription_started", "purchase"] as const;

/**
 * The funnel shown before anyone builds one: the acquisition events the
 * product has (pageview → signed_up → subscription_started / purchase), else
 * its two most frequent events.
 */
export function pickDefaultFunnel(names: readonly string[]): string[] {
  const known = new Set(names);
  const steps = DEFAULT_FUNNEL_EVENTS.filter((e) => known.has(e));
  if (steps.length >= 2) return [...steps];
  return names.slice(0, 2);
}

/** Property keys seen on a product's recent events (for the breakdown picker), most frequent first. */
export async function listPropertyKeys(db: Db, productId: number): Promise<string[]> {
  const rows = await queryRows<{ key: string }>(
    db,
    sql`select k as key from (
          select e.properties from events e where e.product_id = ${productId} and jsonb_typeof(e.properties) = 'object'
          order by e.timestamp desc limit 2000
        ) s, jsonb_object_keys(s.properties) k
        group by k order by count(*) desc, k limit 50`,
  );
  return rows.map((r) => r.key);
}

/**
 * Which of `names` a product has received (the rollup holds no identify
 * events), in the order given: index probes instead of listing every event
 * name, for choosing the default funnel.
 */
export async function listReceivedEvents(
  db: Db,
  productId: number,
  names: readonly string[],
): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await queryRows<{ event: string }>(
    db,
    sql`select v.event from (values ${sql.join(
      names.map((n, i) => sql`(${n}::text, ${i}::int)`),
      sql`, `,
    )}) as v(event, ord)
        where v.event <> 'identify' and exists (
          select 1 from event_actor_days r where r.product_id = ${productId} and r.event = v.event
        )
        order by v.ord`,
  );
  return rows.map((r) => r.event);
}
