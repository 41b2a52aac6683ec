import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";
import type { SessionTotals } from "../metrics/sessions";

/**
 * Sessions of a product's actors in [start, end), computed from events with
 * the rule of lib/metrics/sessions.ts (a gap of 30 minutes or more starts a
 * new session; sender session ids are ignored; identify events are not
 * activity). Events outside the period are not looked at, so a session that
 * crosses the period boundary is cut there.
 */
export async function getSessionTotals(
  db: Db,
  params: { productId: number; start: Date; end: Date },
): Promise<SessionTotals> {
  const [row] = await queryRows<{ sessions: number; bounces: number; duration_ms: number }>(
    db,
    sql`with ev as (
          select coalesce(e.user_id, i.user_id, e.anonymous_id) as actor, e.timestamp as ts, e.type
          from events e
          left join identities i on i.product_id = e.product_id and i.anonymous_id = e.anonymous_id
          where e.product_id = ${params.productId} and e.type <> 'identify'
            and e.timestamp >= ${sqlTimestamp(params.start)} and e.timestamp < ${sqlTimestamp(params.end)}
        ), marked as (
          select actor, ts, type,
            case when ts - lag(ts) over (partition by actor order by ts) < interval '30 minutes' then 0 else 1 end
              as opens
          from ev
        ), numbered as (
          select actor, ts, type,
            sum(opens) over (partition by actor order by ts rows between unbounded preceding and current row) as sid
          from marked
        ), s as (
          select count(*) as n, bool_and(type = 'page') as only_pages,
            round(extract(epoch from max(ts) - min(ts)) * 1000) as ms
          from numbered group by actor, sid
        )
        select count(*)::int as sessions,
          (count(*) filter (where n = 1 and only_pages))::int as bounces,
          coalesce(sum(ms), 0)::float8 as duration_ms
        from s`,
  );
  return {
    sessions: Number(row?.sessions ?? 0),
    bounces: Number(row?.bounces ?? 0),
    durationMs: Number(row?.duration_ms ?? 0),
  };
}
