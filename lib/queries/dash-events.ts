import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";

/** Days back the pickers' order counts use, as PostHog orders its event list by 30-day volume. */
export const EVENT_VOLUME_DAYS = 30;

/**
 * Event names a product has received (the rollup holds no identify events),
 * for pickers: every name, busiest first by its events in the last 30 days
 * (before `now`, by the product's local days), then by name; at most `limit`.
 *
 * The names are found with one index probe per name (a skip scan of the
 * rollup's (product, event, day) index) and each name's 30 days are summed
 * through the same index: the product's whole rollup is not read (0.2 s at
 * 10M events; this takes 35 ms).
 */
export async function listEventNames(
  db: Db,
  productId: number,
  options: { now?: Date; limit?: number } = {},
): Promise<{ event: string; recentEvents: number }[]> {
  const since = new Date((options.now ?? new Date()).getTime() - EVENT_VOLUME_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const rows = await queryRows<{ event: string; n: number }>(
    db,
    sql`with recursive names(event) as (
          (select event from event_actor_days where product_id = ${productId} order by event limit 1)
          union all
          select (select r.event from event_actor_days r
                  where r.product_id = ${productId} and r.event > n.event order by r.event limit 1)
          from names n where n.event is not null
        )
        select n.event, v.n
        from names n cross join lateral (
          select coalesce(sum(r.events), 0)::int as n from event_actor_days r
          where r.product_id = ${productId} and r.event = n.event and r.day >= ${since}::date
        ) v
        where n.event is not null and n.event <> 'identify'
        order by v.n desc, n.event limit ${options.limit ?? 500}`,
  );
  return rows.map((r) => ({ event: r.event, recentEvents: Number(r.n) }));
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

/**
 * The product's default funnel (pickDefaultFunnel over its event names)
 * without listing them when it can: one index probe per acquisition event
 * settles it when the product has two of them; else the names' 30-day volumes
 * pick the two most frequent (listEventNames).
 */
export async function getDefaultFunnel(db: Db, productId: number, now?: Date): Promise<string[]> {
  const rows = await queryRows<{ event: string }>(
    db,
    sql`select v.event from (values ${sql.join(
      DEFAULT_FUNNEL_EVENTS.map((e, i) => sql`(${e}::text, ${i}::int)`),
      sql`, `,
    )}) v(event, ord)
        where exists (select 1 from event_actor_days r where r.product_id = ${productId} and r.event = v.event)
        order by v.ord`,
  );
  if (rows.length >= 2) return pickDefaultFunnel(rows.map((r) => r.event));
  return pickDefaultFunnel((await listEventNames(db, productId, { now })).map((n) => n.event));
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
