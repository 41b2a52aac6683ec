import { type SQL, sql } from "drizzle-orm";

/**
 * SQL for the first local day a person (`actor`, already resolved) was active,
 * from `actor_key_first_days`: the earliest over the raw keys that resolve to
 * them, that is the keys storing them as their person plus the anonymous ids
 * of their links still pending (lib/queries/stored-actor.ts). Index probes
 * only, so it costs the same at any history length.
 */
export function actorFirstDaySql(productId: number, actor: SQL): SQL {
  return sql`least(
    (select min(f.first_day) from actor_key_first_days f
      where f.product_id = ${productId} and f.actor = ${actor}),
    (select min(f.first_day) from identities pl
      join actor_key_first_days f on f.product_id = pl.product_id and f.user_id = '' and f.anonymous_id = pl.anonymous_id
      where pl.product_id = ${productId} and pl.pending and pl.user_id = ${actor})
  )`;
}

/**
 * SQL: whether a person (`actor`, already resolved) has a key first seen
 * before day `day` (SQL of a date), by the same probes as actorFirstDaySql.
 */
export function seenBeforeSql(productId: number, actor: SQL, day: SQL): SQL {
  return sql`(exists (select 1 from actor_key_first_days f
      where f.product_id = ${productId} and f.actor = ${actor} and f.first_day < ${day})
    or exists (select 1 from identities pl
      join actor_key_first_days f on f.product_id = pl.product_id and f.user_id = '' and f.anonymous_id = pl.anonymous_id
      where pl.product_id = ${productId} and pl.pending and pl.user_id = ${actor} and f.first_day < ${day}))`;
}
