import { type SQL, sql } from "drizzle-orm";

/**
 * SQL for the first local day a person (`actor`, already resolved) was active,
 * from `actor_key_first_days`: the earliest over the raw keys that resolve to
 * them, i.e. their own user id, the anonymous ids identified as them, and
 * their anonymous id when it was never identified. Index probes only, so it
 * costs the same at any history length.
 */
export function actorFirstDaySql(productId: number, actor: SQL): SQL {
  return sql`least(
    (select min(f.first_day) from actor_key_first_days f
      where f.product_id = ${productId} and f.user_id = ${actor}),
    (select min(f.first_day) from identities i
      join actor_key_first_days f on f.product_id = i.product_id and f.user_id = '' and f.anonymous_id = i.anonymous_id
      where i.product_id = ${productId} and i.user_id = ${actor}),
    (select min(f.first_day) from actor_key_first_days f
      where f.product_id = ${productId} and f.user_id = '' and f.anonymous_id = ${actor}
        and not exists (select 1 from identities i where i.product_id = ${productId} and i.anonymous_id = ${actor}))
  )`;
}
