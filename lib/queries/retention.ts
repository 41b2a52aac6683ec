import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import {
  formatDayNumber,
  parseDateKey,
  type ResolvedPeriod,
  weekStartOfDay,
} from "../metrics/period-resolve";
import { localDateKey } from "../metrics/periods";
import {
  countsFromMasks,
  RETENTION_WEEKS,
  type RetentionCohort,
  type RetentionCount,
  type RetentionMode,
  retentionFromCounts,
} from "../metrics/retention";
import { type ActivitySource, activityRows, weekStartSql } from "./activity-source";
import { analyticalQuery } from "./analytical-query";
import { KEY_MASK_WEEKS, weekStartOf } from "./rollups";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

/**
 * Cohort weeks per mask statement: a key's mask shifted to its first week's
 * offset from the chunk's first cohort (at most this + 11 weeks) must fit a bigint.
 */
const MASK_CHUNK_WEEKS = 40;

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
 *
 * Cohorts by first activity read one row per raw key (`actor_key_first_days`:
 * first day and 12-week activity mask, see `cohortMasks`); cohorts by a start
 * event, and the raw reference, group each actor's active weeks.
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
  const counts: RetentionCount[] = [];
  if (!params.startEvent && source === "rollup") {
    for (let i = 0; i < cohortWeeks.length; i += MASK_CHUNK_WEEKS) {
      const chunk = cohortWeeks.slice(i, i + MASK_CHUNK_WEEKS);
      counts.push(...countsFromMasks(await cohortMasks(db, product, chunk), mode));
    }
  } else {
    const rows = await analyticalQuery<{ cohort: string; week: number; actors: number }>(
      db,
      sql`with w as materialized (
          select a.actor, ${wk} as week from (${activityRows(source, { ...base, firstDay: activityStart, endDay })}) a group by 1, 2
        ), c as materialized (${cohortSql}),
        m as materialized (
          select c.actor, c.cohort, (w.week - c.cohort) / 7 as k
          from c join w on w.actor = c.actor
          where c.cohort >= ${firstWeek}::date and c.cohort <= ${lastCohort}::date and w.week >= c.cohort
            and w.week < c.cohort + ${7 * RETENTION_WEEKS}::int
        )
        select x.cohort::text as cohort, x.week::int as week, count(*)::int as actors from (${perActor}) x group by 1, 2
        union all
        select d.cohort::text, -1, count(*)::int from (select distinct m.actor, m.cohort from m) d group by 1`,
    );
    for (const r of rows) counts.push({ cohort: r.cohort, week: Number(r.week), actors: Number(r.actors) });
  }
  const currentWeek = weekStartOfDay(localDateKey(params.now, product.timezone), product.weekStart);
  const cohorts = retentionFromCounts(counts, cohortWeeks, mode, currentWeek);
  return {
    product: product.slug,
    mode,
    start_event: params.startEvent ?? null,
    weeks: RETENTION_WEEKS,
    cohorts,
  };
}

/**
 * Cohorts of first activity in the consecutive cohort weeks `chunk` (at most
 * MASK_CHUNK_WEEKS), as `(cohort, mask, actors)`: bit n of `mask` set when
 * the actor was active in week n of their cohort (n < 12). Each raw key
 * carries its first day and its activity in the 12 weeks from that day's week
 * (`actor_key_first_days`); a person's keys (by their stored person, with
 * the pending links applied: lib/queries/stored-actor.ts) are merged by taking the earliest first week and OR-ing the
 * masks, each shifted by its first week's offset from the chunk's first
 * cohort. A key's activity past its own 12 weeks is past its person's too, so
 * the merge is exact. Keys first seen 12 weeks or more after the last cohort
 * cannot matter and are not read.
 */
async function cohortMasks(
  db: Db,
  product: ProductRef,
  chunk: readonly string[],
): Promise<{ cohort: string; mask: number; actors: number }[]> {
  const first = chunk[0] as string;
  const last = chunk[chunk.length - 1] as string;
  const until = formatDayNumber(parseDateKey(last) + 7 * KEY_MASK_WEEKS);
  const lastEnd = formatDayNumber(parseDateKey(last) + 7);
  const mask = sql.raw(product.weekStart === "monday" ? "r.weeks_monday" : "r.weeks_sunday");
  // `first` is a week start, so a key's week offset from it is (first_day - first) / 7 for
  // first_day >= first, and the earliest week is the week of the earliest day.
  const rows = await analyticalQuery<{ cohort: string; mask: number; actors: number }>(
    db,
    sql`select g.cohort::text as cohort, g.mask, g.actors
        from (
          select a.cohort, ((a.bits >> ((a.cohort - ${first}::date) / 7)) & ${(1 << KEY_MASK_WEEKS) - 1})::int as mask,
            count(*)::int as actors
          from (
            select ${sql.raw(weekStartOf("min(r.first_day)", product.weekStart))} as cohort,
              bit_or(case when r.first_day >= ${first}::date
                then ${mask}::int8 << ((r.first_day - ${first}::date) / 7) else 0 end) as bits
            from actor_key_first_days r ${PENDING_LINK_JOIN}
            where r.product_id = ${product.id} and r.first_day < ${until}::date
            group by ${STORED_ACTOR} collate "C"
            having min(r.first_day) >= ${first}::date and min(r.first_day) < ${lastEnd}::date
          ) a
          group by 1, 2
        ) g`,
    // Parallel: at 10M events the scan of ~320,000 keys and the sort by person split across the cores
    // (bench:queries retention 478-498 -> 439-467 ms on 2 vCPUs, with the identities join then).
    { sortedGroups: true, parallel: true },
  );
  return rows.map((r) => ({ cohort: r.cohort, mask: Number(r.mask), actors: Number(r.actors) }));
}
