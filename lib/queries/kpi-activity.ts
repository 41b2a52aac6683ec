import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlIn } from "../../db/rows";
import type { SessionTotals } from "../metrics/sessions";
import { type ActivityScope, type ActivitySource, activityRows, rollupDayBounds } from "./activity-source";
import { actorFirstDaySql, seenBeforeSql } from "./first-days";
import { SESSION_GAP } from "./rollups";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

/** Distinct actors per local day of the scope, plus the distinct actors and pageviews of the whole scope. */
export async function countDailyActive(
  db: Db,
  source: ActivitySource,
  scope: ActivityScope,
): Promise<{ byDay: Map<string, number>; active: number; pageviews: number }> {
  const rows = await queryRows<{ day: string | null; n: number; pageviews: number }>(
    db,
    sql`select a.day::text as day, count(distinct a.actor)::int as n, coalesce(sum(a.pageviews), 0)::int as pageviews
        from (${activityRows(source, scope)}) a
        group by grouping sets ((a.day), ())`,
  );
  const byDay = new Map<string, number>();
  let active = 0;
  let pageviews = 0;
  for (const r of rows) {
    if (r.day === null) {
      active = Number(r.n);
      pageviews = Number(r.pageviews);
    } else byDay.set(r.day, Number(r.n));
  }
  return { byDay, active, pageviews };
}

/** Distinct actors with activity in the scope. */
export async function countDistinctActors(
  db: Db,
  source: ActivitySource,
  scope: ActivityScope,
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct a.actor)::int as n from (${activityRows(source, scope)}) a`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Actors active in the scope whose first activity ever falls on or after
 * `firstDay` (new users). The rollup path looks first days up in
 * `actor_key_first_days`; the raw path takes the minimum over all events.
 */
export async function countNewActors(
  db: Db,
  source: ActivitySource,
  scope: ActivityScope & { firstDay: string },
): Promise<number> {
  const { firstDay, start, ...history } = scope;
  const query =
    source === "rollup"
      ? sql`select count(*)::int as n from (select distinct a.actor from (${activityRows(source, scope)}) a) x
            where ${actorFirstDaySql(scope.productId, sql.raw("x.actor"))} >= ${firstDay}::date`
      : sql`select count(*)::int as n from (
              select a.actor from (${activityRows(source, history)}) a
              group by a.actor having min(a.day) >= ${firstDay}::date
            ) f`;
  const [row] = await queryRows<{ n: number }>(db, query);
  return Number(row?.n ?? 0);
}

/**
 * Distinct actors per event name in the scope (goal conversions). The rollup
 * path resolves each anonymous key-day of the goal events by one index probe
 * into `identities` (a few thousand probes for a week of goals at 10M events,
 * instead of hashing all of the product's identities) and counts actors with
 * `collate "C"` (same groups, bytewise comparisons).
 */
export async function countActorsByEvent(
  db: Db,
  source: ActivitySource,
  scope: ActivityScope,
): Promise<Map<string, number>> {
  const query =
    source === "rollup" && scope.events
      ? sql`select r.event, count(distinct ${STORED_ACTOR} collate "C")::int as n
            from event_actor_days r ${PENDING_LINK_JOIN}
            where ${sql.join(
              [...rollupDayBounds("r", scope), sqlIn(sql.raw("r.event"), scope.events)],
              sql` and `,
            )}
            group by r.event`
      : sql`select a.event, count(distinct a.actor)::int as n from (${activityRows(source, scope)}) a group by a.event`;
  const rows = await queryRows<{ event: string; n: number }>(db, query);
  return new Map(rows.map((r) => [r.event, Number(r.n)]));
}

/** What one period's KPI cards need from activity, read in one pass over the rollup. */
export interface ActivityFigures {
  byDay: Map<string, number>;
  active: number;
  pageviews: number;
  wau: number;
  mau: number;
  newUsers: number;
  sessions: SessionTotals;
}

type DayRange = { firstDay: string; endDay: string };

/**
 * Daily and period active actors, pageviews, the distinct actors of the week
 * and month ranges, new actors and session totals of a period, in ONE
 * statement over `session_pieces`: each piece's actor is resolved through
 * `identities` once for all of them (that hash join dominates the cost).
 * Equal to countDailyActive, countDistinctActors, countNewActors and
 * getSessionTotals (tested against the raw path).
 *
 * - Only the pieces of the period carry their keys and instants; the other
 *   pieces of the week and month range carry just the actor and day (a
 *   narrower materialized set, which spills less at the default `work_mem`).
 * - A week or month range equal to the period is not counted twice.
 * - New users: only actors all of whose keys active in the period were first
 *   seen in it can be new; for those, index probes look for another key of
 *   theirs first seen before the period (their user id, an anonymous id
 *   identified as them, their own anonymous id when never identified),
 *   skipping the key kinds already seen active in the period.
 * - Distinct counts, groupings and the session sort compare actors with
 *   `collate "C"`: the same groups (equality is bytewise either way), without
 *   the locale's comparisons (a PostgreSQL database in C.UTF-8 sorts text with
 *   strcoll). Index probes compare in the column's own collation.
 */
export async function getActivityFigures(
  db: Db,
  scope: ActivityScope & DayRange,
  week: DayRange,
  month: DayRange,
): Promise<ActivityFigures> {
  const pid = scope.productId;
  const lo = [scope.firstDay, week.firstDay, month.firstDay].sort()[0] as string;
  const hi = [scope.endDay, week.endDay, month.endDay].sort()[2] as string;
  const within = (r: DayRange, col = "p.day") =>
    sql`${sql.raw(col)} >= ${r.firstDay}::date and ${sql.raw(col)} < ${r.endDay}::date`;
  const inPeriod = within(scope, "r.day");
  const same = (r: DayRange) => r.firstDay === scope.firstDay && r.endDay === scope.endDay;
  const distinctIn = (r: DayRange) =>
    same(r)
      ? sql`(select d.n from daily d where d.day is null)`
      : sql`(select count(distinct p.actor collate "C") from p where ${within(r)})`;
  const first = sql`${scope.firstDay}::date`;
  const [row] = await queryRows<{
    daily: { day: string | null; n: number; pv: number }[] | string | null;
    wau: number;
    mau: number;
    new_users: number;
    sessions: number;
    bounces: number;
    duration_ms: number;
  }>(
    db,
    sql`with p as materialized (
          select ${STORED_ACTOR} as actor, r.day,
            case when ${inPeriod} then r.user_id end as user_id,
            case when ${inPeriod} then r.anonymous_id end as anonymous_id,
            case when ${inPeriod} then r.start_at end as start_at,
            case when ${inPeriod} then r.end_at end as end_at,
            r.events, r.pageviews
          from session_pieces r ${PENDING_LINK_JOIN}
          where r.product_id = ${pid} and r.day >= ${lo}::date and r.day < ${hi}::date
        ),
        per as (select * from p where ${within(scope)}),
        daily as (
          select per.day::text as day, count(distinct per.actor collate "C")::int as n, coalesce(sum(per.pageviews), 0)::int as pv
          from per group by grouping sets ((per.day), ())
        ),
        new_keys as (
          select f.user_id, f.anonymous_id from actor_key_first_days f
          where f.product_id = ${pid} and f.first_day >= ${scope.firstDay}::date and f.first_day < ${scope.endDay}::date
        ),
        -- (An IN over the small new-key set is hashed once, whatever the row estimates.)
        acts as (
          select per.actor collate "C" as actor
          from per group by 1
          having bool_and((per.user_id, per.anonymous_id) in (select n.user_id, n.anonymous_id from new_keys n))
        ),
        -- Sessions in two window passes over one sort, without grouping pieces into sessions: a piece
        -- opens a session when the latest end before it is 30 minutes or more earlier, closes one when
        -- the next piece starts 30 minutes or more after the latest end so far; the session's start is
        -- the latest opening start, its end that latest end (mergePieces' sessions, counted in place).
        marks as (
          select q.actor, q.start_at, q.end_at, q.events, q.pageviews,
            greatest(q.end_at, q.prev_end) as run_end,
            (q.prev_end is null or q.start_at - q.prev_end >= ${SESSION_GAP}) as opens,
            (q.next_start is null or q.next_start - greatest(q.end_at, q.prev_end) >= ${SESSION_GAP}) as closes
          from (
            select per.actor collate "C" as actor, per.start_at, per.end_at, per.events, per.pageviews,
              max(per.end_at) over w as prev_end, lead(per.start_at) over w as next_start
            from per
            window w as (partition by per.actor collate "C" order by per.start_at, per.end_at
              rows between unbounded preceding and 1 preceding)
          ) q
        ),
        sess as (
          select (count(*) filter (where m.opens))::int as sessions,
            (count(*) filter (where m.opens and m.closes and m.events = 1 and m.pageviews = 1))::int as bounces,
            coalesce(sum(round(extract(epoch from m.run_end - m.sess_start) * 1000)) filter (where m.closes), 0)::float8
              as duration_ms
          from (
            select marks.*, max(case when marks.opens then marks.start_at end) over (partition by marks.actor
                order by marks.start_at, marks.end_at rows between unbounded preceding and current row) as sess_start
            from marks
          ) m
        )
        select
          (select json_agg(json_build_object('day', d.day, 'n', d.n, 'pv', d.pv)) from daily d) as daily,
          ${distinctIn(week)}::int as wau,
          ${distinctIn(month)}::int as mau,
          (select count(*) from acts a
            where not ${seenBeforeSql(pid, sql`(a.actor collate "default")`, first)})::int as new_users,
          s.sessions, s.bounces, s.duration_ms
        from sess s`,
  );
  const daily = typeof row?.daily === "string" ? JSON.parse(row.daily) : (row?.daily ?? []);
  const byDay = new Map<string, number>();
  let active = 0;
  let pageviews = 0;
  for (const d of daily as { day: string | null; n: number; pv: number }[]) {
    if (d.day === null) {
      active = Number(d.n);
      pageviews = Number(d.pv);
    } else byDay.set(d.day, Number(d.n));
  }
  return {
    byDay,
    active,
    pageviews,
    wau: Number(row?.wau ?? 0),
    mau: Number(row?.mau ?? 0),
    newUsers: Number(row?.new_users ?? 0),
    sessions: {
      sessions: Number(row?.sessions ?? 0),
      bounces: Number(row?.bounces ?? 0),
      durationMs: Number(row?.duration_ms ?? 0),
    },
  };
}
