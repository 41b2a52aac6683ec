import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import { type ActivityScope, type ActivitySource, activityRows } from "./activity-source";
import { actorFirstDaySql } from "./first-days";

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

/** Distinct actors per event name in the scope (goal conversions). */
export async function countActorsByEvent(
  db: Db,
  source: ActivitySource,
  scope: ActivityScope,
): Promise<Map<string, number>> {
  const rows = await queryRows<{ event: string; n: number }>(
    db,
    sql`select a.event, count(distinct a.actor)::int as n from (${activityRows(source, scope)}) a group by a.event`,
  );
  return new Map(rows.map((r) => [r.event, Number(r.n)]));
}
