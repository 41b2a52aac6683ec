import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";

export interface ActiveActorsParams {
  productId: number;
  start: Date;
  end: Date;
}

/**
 * SQL for the actor of an event (`e`, joined to identities as `i`): the user id
 * when known, else the user id the anonymous id was identified as, else the
 * anonymous id, so that one person counts once before and after signing in.
 */
export const ACTOR_SQL = sql.raw("coalesce(e.user_id, i.user_id, e.anonymous_id)");

/**
 * Distinct actors with at least one event in [start, end). Identify calls are
 * bookkeeping, not activity, so they do not make an actor active on their own.
 */
export async function countActiveActors(db: Db, params: ActiveActorsParams): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct ${ACTOR_SQL})::int as n
        from events e
        left join identities i on i.product_id = e.product_id and i.anonymous_id = e.anonymous_id
        where e.product_id = ${params.productId}
          and e.timestamp >= ${sqlTimestamp(params.start)} and e.timestamp < ${sqlTimestamp(params.end)}
          and e.type <> 'identify'`,
  );
  return Number(row?.n ?? 0);
}
