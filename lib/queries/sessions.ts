import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import type { SessionTotals } from "../metrics/sessions";
import { type ActivityScope, type ActivitySource, rawTimeBounds, rollupDayBounds } from "./activity-source";
import { mergePieces, SESSION_GAP } from "./rollups";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

/**
 * Sessions of a product's actors in a scope, by the rule of
 * lib/metrics/sessions.ts: a gap of 30 minutes or more starts a new session;
 * sender session ids are ignored; identify events are not activity. Events
 * outside the scope are not looked at, so a session that crosses the scope's
 * boundary is cut there.
 *
 * The rollup path reads `session_pieces` (runs of one raw key's events within
 * one local day), takes each piece's actor (lib/queries/stored-actor.ts) and merges
 * an actor's pieces less than 30 minutes apart: exactly the sessions of the
 * raw path, which computes them from the events with window functions.
 */
export async function getSessionTotals(
  db: Db,
  source: ActivitySource,
  scope: ActivityScope,
): Promise<SessionTotals> {
  const sessions =
    source === "rollup"
      ? mergePieces(
          sql`select ${STORED_ACTOR} as actor, r.start_at, r.end_at, r.events, r.pageviews
              from session_pieces r ${PENDING_LINK_JOIN}
              where ${sql.join(rollupDayBounds("r", scope), sql` and `)}`,
          "actor",
        )
      : sql`select actor, min(ts) as start_at, max(ts) as end_at, count(*)::int as events,
              (count(*) filter (where type = 'page'))::int as pageviews
            from (
              select actor, ts, type,
                sum(opens) over (partition by actor order by ts rows between unbounded preceding and current row) as sid
              from (
                select actor, ts, type,
                  case when ts - lag(ts) over (partition by actor order by ts) < ${SESSION_GAP} then 0 else 1 end
                    as opens
                from (
                  select coalesce(e.user_id, i.user_id, e.anonymous_id) as actor, e.timestamp as ts, e.type
                  from events e
                  left join identities i on i.product_id = e.product_id and i.anonymous_id = e.anonymous_id
                  where ${sql.join(
                    [
                      sql`e.product_id = ${scope.productId}`,
                      sql`e.type <> 'identify'`,
                      ...rawTimeBounds(scope),
                    ],
                    sql` and `,
                  )}
                ) ev
              ) marked
            ) numbered
            group by actor, sid`;
  const [row] = await queryRows<{ sessions: number; bounces: number; duration_ms: number }>(
    db,
    sql`select count(*)::int as sessions,
          (count(*) filter (where s.events = 1 and s.pageviews = 1))::int as bounces,
          coalesce(sum(round(extract(epoch from s.end_at - s.start_at) * 1000)), 0)::float8 as duration_ms
        from (${sessions}) s`,
  );
  return {
    sessions: Number(row?.sessions ?? 0),
    bounces: Number(row?.bounces ?? 0),
    durationMs: Number(row?.duration_ms ?? 0),
  };
}
