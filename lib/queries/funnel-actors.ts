import { type SQL, sql } from "drizzle-orm";

/**
 * Rows of sender keys resolved to actors: `rows` selects `(user_id,
 * anonymous_id, ...columns)` (an absent id null or '', as raw events and the
 * rollup store it); the result selects `(actor, ...columns)`, the actor being
 * the user id, else the user id the anonymous id was identified as, else the
 * anonymous id (as lib/queries/activity-source.ts resolves it).
 *
 * The identities are joined with a FULL join kept whole behind `offset 0`:
 * PostgreSQL can run a full join only as a hash or merge join, never as a
 * nested loop. An engine without planner statistics (PGlite is never
 * analyzed) otherwise may plan a left join as a scan of the product's
 * identities for every key, and a per-key index lookup is slow at scale.
 */
export function resolveActors(productId: number, rows: SQL, columns: readonly string[]): SQL {
  const names = sql.raw(columns.map((c) => `, j.${c}`).join(""));
  return sql`select coalesce(nullif(j.user_id, ''), j.linked, j.anonymous_id) as actor ${names}
    from (
      select k.*, i.user_id as linked
      from (select r.*, true as is_key from (${rows}) r) k
      full join (select anonymous_id, user_id from identities where product_id = ${productId}) i
        on i.anonymous_id = k.anonymous_id
      offset 0
    ) j
    where j.is_key`;
}
