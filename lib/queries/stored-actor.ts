import { sql } from "drizzle-orm";

/**
 * The person of a rollup row `r` that stores one (`session_pieces`,
 * `event_actor_days`): its `actor`, resolved when it was written, unless a
 * link of its anonymous id is still pending, that is not yet applied to the
 * rows written before it (repairPendingLinks in lib/queries/rollups.ts); that
 * link's user id then. Use with PENDING_LINK_JOIN. The pending links are few,
 * so this replaces a join of every row with all the product's links (150,000
 * at 10M events).
 */
export const STORED_ACTOR = sql.raw("coalesce(pl.user_id, r.actor)");

/** Joins the pending link `pl` of a rollup row `r` (see STORED_ACTOR). */
export const PENDING_LINK_JOIN = sql.raw(`left join identities pl
  on pl.product_id = r.product_id and pl.pending and r.user_id = '' and pl.anonymous_id = r.anonymous_id`);
