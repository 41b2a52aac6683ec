import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";

/** Columns of an `event_actor_days` row computed from events `e` joined to their product `p`. */
const ROLLUP_SELECT = sql.raw(`e.product_id, (e.timestamp at time zone p.timezone)::date, e.event,
  coalesce(e.user_id, ''), case when e.user_id is null then coalesce(e.anonymous_id, '') else '' end,
  count(*)::int, (count(*) filter (where e.type = 'page'))::int`);

/**
 * Body of a data-modifying CTE for writeEvents' single insert statement: it
 * lowers each raw key's first active day (`actor_key_first_days`) with the rows
 * just inserted, which the statement exposes as the CTE `ins` (RETURNING
 * product_id, timestamp, type, user_id, anonymous_id; skipped duplicates are
 * not in it). Identify events are not activity.
 */
export const INSERT_FIRST_SEEN_FROM_INS = sql.raw(`
  insert into actor_key_first_days (product_id, user_id, anonymous_id, first_day)
  select i.product_id, coalesce(i.user_id, ''),
    case when i.user_id is null then coalesce(i.anonymous_id, '') else '' end,
    min((i.timestamp at time zone p.timezone)::date)
  from ins i join products p on p.id = i.product_id
  where i.type <> 'identify'
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (product_id, user_id, anonymous_id) do update
    set first_day = least(actor_key_first_days.first_day, excluded.first_day)`);

/**
 * Recompute a product's rollup from its raw events, e.g. after its time zone
 * changed (days are bucketed in the product's zone when events are written).
 */
export async function rebuildEventRollups(db: Db, productId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await queryRows(t, sql`delete from event_actor_days where product_id = ${productId}`);
    await queryRows(
      t,
      sql`insert into event_actor_days (product_id, day, event, user_id, anonymous_id, events, pageviews)
          select ${ROLLUP_SELECT}
          from events e join products p on p.id = e.product_id
          where e.product_id = ${productId} and e.type <> 'identify'
          group by 1, 2, 3, 4, 5`,
    );
    await queryRows(t, sql`delete from actor_key_first_days where product_id = ${productId}`);
    await queryRows(
      t,
      sql`insert into actor_key_first_days (product_id, user_id, anonymous_id, first_day)
          select product_id, user_id, anonymous_id, min(day) from event_actor_days
          where product_id = ${productId} group by 1, 2, 3`,
    );
  });
}
