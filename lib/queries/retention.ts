import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import {
  formatDayNumber,
  parseDateKey,
  type ResolvedPeriod,
  weekStartOfDay,
} from "../metrics/period-resolve";
import { localDateKey } from "../metrics/periods";
import {
  RETENTION_WEEKS,
  type RetentionCohort,
  type RetentionMode,
  retentionFromCounts,
} from "../metrics/retention";
import { type ActivitySource, activityRows, weekStartSql } from "./activity-source";

type ProductRef = Pick<Product, "id" | "slug" | "timezone" | "weekStart">;

export interface RetentionParams {
  product: ProductRef;
  /** Cohort weeks: every week (product week start) that contains a day of this range. */
  period: ResolvedPeriod;
  /** Cohort by the first time the actor fired this event instead of their first activity. */
  startEvent?: string;
  mode?: RetentionMode;
  /** Weeks starting after the week containing `now` are not measured yet (null). */
  now: Date;
  source?: ActivitySource;
}

export interface RetentionReport {
  product: string;
  mode: RetentionMode;
  start_event: string | null;
  weeks: number;
  cohorts: RetentionCohort[];
}

/**
 * Weekly retention cohorts (see lib/metrics/retention.ts for the rules).
 * Activity is any non-identify event; cohorts are assigned on the actor's
 * whole history, so an actor first seen before the range is in no cohort of it.
 */
export async function getRetention(db: Db, params: RetentionParams): Promise<RetentionReport> {
  const { product, period } = params;
  const source = params.source ?? "rollup";
  const mode = params.mode ?? "on";
  const firstWeek = weekStartOfDay(period.firstDay, product.weekStart);
  const lastCohort = weekStartOfDay(period.lastDay, product.weekStart);
  const cohortWeeks: string[] = [];
  for (let w = parseDateKey(firstWeek); w <= parseDateKey(lastCohort); w += 7)
    cohortWeeks.push(formatDayNumber(w));
  const endDay = formatDayNumber(parseDateKey(lastCohort) + 7 * RETENTION_WEEKS);
  const base = { productId: product.id, zone: product.timezone };
  const wk = weekStartSql(sql.raw("a.day"), product.weekStart);
  const cohortEnd = formatDayNumber(parseDateKey(lastCohort) + 7);
  // One pass over the history: each actor's active weeks; the cohort is the first of them
  // (or the week of their first start event).
  // Cohorts come from the activity history itself (one pass), or from the start event; with a
  // start event, activity before the first cohort week is not needed.
  const cohortSql = params.startEvent
    ? sql`select a.actor, min(${wk}) as cohort
          from (${activityRows(source, { ...base, endDay: cohortEnd, events: [params.startEvent] })}) a
          group by a.actor`
    : sql`select actor, min(week) as cohort from w group by actor`;
  const activityStart = params.startEvent ? firstWeek : undefined;
  // Aggregated in the database (one row per cohort and week offset, not per actor):
  // the cohort sizes (week -1), and per offset the actors active that week ("on")
  // or whose last active week it is ("on or after", summed from the end below).
  const perActor =
    mode === "on"
      ? sql`select m.cohort, m.k as week from m`
      : sql`select m.cohort, max(m.k) as week from m group by m.actor, m.cohort`;
  const rows = await queryRows<{ cohort: string; week: number; actors: number }>(
    db,
    sql`with w as materialized (
          select a.actor, ${wk} as week from (${activityRows(source, { ...base, firstDay: activityStart, endDay })}) a group by 1, 2
        ), c as materialized (${cohortSql}),
        m as materialized (
          select c.actor, c.cohort, (w.week - c.cohort) / 7 as k
          from c join w on w.actor = c.actor
          where c.cohort >= ${firstWeek}::date and c.cohort <= ${lastCohort}::date and w.week >= c.cohort
        )
        select x.cohort::text as cohort, x.week::int as week, count(*)::int as actors from (${perActor}) x group by 1, 2
        union all
        select d.cohort::text, -1, count(*)::int from (select distinct m.actor, m.cohort from m) d group by 1`,
  );
  const currentWeek = weekStartOfDay(localDateKey(params.now, product.timezone), product.weekStart);
  const cohorts = retentionFromCounts(
    rows.map((r) => ({ cohort: r.cohort, week: Number(r.week), actors: Number(r.actors) })),
    cohortWeeks,
    mode,
    currentWeek,
  );
  return {
    product: product.slug,
    mode,
    start_event: params.startEvent ?? null,
    weeks: RETENTION_WEEKS,
    cohorts,
  };
}
