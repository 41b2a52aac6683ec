import { type SQL, sql } from "drizzle-orm";
import { sqlIn, sqlTimestamp } from "../../db/rows";
import { localMidnight } from "../metrics/period-resolve";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

/**
 * Where activity is read from: the rollups (`session_pieces` for all activity,
 * `event_actor_days` for some event names; fast) or the raw
 * `events` table (the reference the rollup must equal; used by the benchmark
 * and the equality tests).
 */
export type ActivitySource = "rollup" | "raw";

/** A product's activity in local days [firstDay, endDay) = instants [start, end); open-ended when omitted. */
export interface ActivityScope {
  productId: number;
  zone: string;
  firstDay?: string;
  /** Exclusive. */
  endDay?: string;
  start?: Date;
  end?: Date;
  /** Only these event names. */
  events?: readonly string[];
}

/** Conditions bounding raw events `e` to a scope; local day bounds become the local midnights they begin at. */
export function rawTimeBounds(scope: ActivityScope): SQL[] {
  const start = scope.start ?? (scope.firstDay ? localMidnight(scope.firstDay, scope.zone) : undefined);
  const end = scope.end ?? (scope.endDay ? localMidnight(scope.endDay, scope.zone) : undefined);
  const parts: SQL[] = [];
  if (start) parts.push(sql`e.timestamp >= ${sqlTimestamp(start)}`);
  if (end) parts.push(sql`e.timestamp < ${sqlTimestamp(end)}`);
  return parts;
}

/** Conditions bounding rollup rows (alias `alias`, with product_id and day) to a scope's product and local days. */
export function rollupDayBounds(alias: string, scope: ActivityScope): SQL[] {
  const a = sql.raw(alias);
  const parts: SQL[] = [sql`${a}.product_id = ${scope.productId}`];
  if (scope.firstDay) parts.push(sql`${a}.day >= ${scope.firstDay}::date`);
  if (scope.endDay) parts.push(sql`${a}.day < ${scope.endDay}::date`);
  return parts;
}

/**
 * SQL yielding `(actor, day, event, events, pageviews)` rows of a product's
 * activity. The actor is the user id, else the user id the anonymous id was
 * identified as, else the anonymous id, so an identify that arrives after the
 * anonymous events still merges them: resolved at query time through
 * `identities` for raw events, stored on the rollups (with the pending links
 * applied at query time, lib/queries/stored-actor.ts).
 * Identify events are bookkeeping, never activity.
 */
export function activityRows(source: ActivitySource, scope: ActivityScope): SQL {
  if (source === "rollup" && !scope.events) {
    // All activity: the session pieces hold about one row per key and visit,
    // several times fewer than event_actor_days' one per key, day and event name.
    return sql`select ${STORED_ACTOR} as actor, r.day, null::text as event, r.events, r.pageviews
               from session_pieces r ${PENDING_LINK_JOIN}
               where ${sql.join(rollupDayBounds("r", scope), sql` and `)}`;
  }
  if (source === "rollup") {
    const parts = rollupDayBounds("r", scope);
    if (scope.events) parts.push(sqlIn(sql.raw("r.event"), scope.events));
    return sql`select ${STORED_ACTOR} as actor, r.day, r.event, r.events, r.pageviews
               from event_actor_days r ${PENDING_LINK_JOIN}
               where ${sql.join(parts, sql` and `)}`;
  }
  const parts: SQL[] = [];
  parts.push(sql`e.product_id = ${scope.productId}`, sql`e.type <> 'identify'`);
  parts.push(...rawTimeBounds(scope));
  if (scope.events) parts.push(sqlIn(sql.raw("e.event"), scope.events));
  return sql`select coalesce(e.user_id, i.user_id, e.anonymous_id) as actor,
               (e.timestamp at time zone ${scope.zone})::date as day, e.event,
               1 as events, (e.type = 'page')::int as pageviews
             from events e
             left join identities i on i.product_id = e.product_id and i.anonymous_id = e.anonymous_id
             where ${sql.join(parts, sql` and `)}`;
}

/** A period's activity scope for either source. */
export function periodScope(
  productId: number,
  zone: string,
  p: { start: Date; end: Date; firstDay: string; endDay: string },
  events?: readonly string[],
): ActivityScope {
  return { productId, zone, start: p.start, end: p.end, firstDay: p.firstDay, endDay: p.endDay, events };
}

/** SQL for the first day (date) of the product week containing the date expression `day`. */
export function weekStartSql(day: SQL, weekStart: "monday" | "sunday"): SQL {
  return weekStart === "monday"
    ? sql`(date_trunc('week', ${day}::timestamp))::date`
    : sql`(date_trunc('week', (${day} + 1)::timestamp) - interval '1 day')::date`;
}

/**
 * weekStartSql for a `date` column, in date arithmetic (cheaper per row than
 * date_trunc; 1900-01-01 was a Monday and 1899-12-31 a Sunday).
 */
export function weekOfDateSql(column: string, weekStart: "monday" | "sunday"): SQL {
  const day = sql.raw(column);
  const anchor = sql.raw(weekStart === "monday" ? "'1900-01-01'" : "'1899-12-31'");
  return sql`(${day} - (${day} - ${anchor}::date) % 7)`;
}
