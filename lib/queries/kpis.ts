import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { fillBuckets } from "../metrics/buckets";
import {
  computeConversionRate,
  computeReturning,
  computeStickiness,
  meanDailyActive,
} from "../metrics/kpi-formulas";
import {
  formatDayNumber,
  listDays,
  monthOfDay,
  parseDateKey,
  previousPeriod,
  type ResolvedPeriod,
  weekOfDay,
} from "../metrics/period-resolve";
import { computeAvgSessionSeconds, computeBounceRate } from "../metrics/sessions";
import type { ActivityScope, ActivitySource } from "./activity-source";
import { type FeedbackFigures, getFeedbackFigures } from "./feedback";
import {
  type ActivityFigures,
  countActorsByEvent,
  countDailyActive,
  countDistinctActors,
  countNewActors,
  getActivityFigures,
} from "./kpi-activity";
import { getSessionTotals } from "./sessions";
import { compareTargets, listTargets, type TargetResult } from "./targets";

type ProductRef = Pick<Product, "id" | "slug" | "timezone" | "weekStart">;

/** Goals used when none are given: those of these events the product has ever received. */
export const DEFAULT_GOALS = ["signed_up", "purchase"] as const;

export interface KpiMetrics extends FeedbackFigures {
  /** Mean of the daily distinct actors over every local day of the period. */
  dau: number;
  /** Distinct actors in the week (product week start) containing the period's last day. */
  wau: number;
  /** Distinct actors in the calendar month containing the period's last day. */
  mau: number;
  /** dau / mau. */
  stickiness: number | null;
  /** Distinct actors in the whole period. */
  active_users: number;
  new_users: number;
  returning_users: number;
  sessions: number;
  pageviews: number;
  bounce_rate: number | null;
  avg_session_seconds: number | null;
  /** Per goal event: distinct actors who fired it in the period and that number / active_users. */
  conversion: Record<string, { converters: number; rate: number | null }>;
  /** Distinct actors of each local day, zero-filled. */
  daily_active: { day: string; value: number }[];
}

export interface KpiParams {
  product: ProductRef;
  period: ResolvedPeriod;
  /** Goal event names; default: those of DEFAULT_GOALS the product has events for. */
  goals?: readonly string[];
  /** Rollup (default) or raw events: both give the same numbers. */
  source?: ActivitySource;
}

export interface KpiReportParams extends KpiParams {
  /**
   * The activity figures of the period and of the previous period when the
   * caller has already read them (getActivityFigures' numbers with the week and
   * month of each period's last day; the KPI board reads them together with its
   * series in one statement, lib/queries/board-activity.ts).
   */
  activity?: readonly [ActivityFigures, ActivityFigures];
}

/** The day after a period's last day, YYYY-MM-DD (exclusive bound for day filters). */
function dayAfter(period: Pick<ResolvedPeriod, "lastDay">): string {
  return formatDayNumber(parseDateKey(period.lastDay) + 1);
}

/** Which of the default goal events this product has received at least once (one index probe each, one round trip). */
export async function resolveDefaultGoals(db: Db, productId: number): Promise<string[]> {
  const rows = await queryRows<{ event: string; ok: boolean }>(
    db,
    sql`select g.event, exists(select 1 from events e where e.product_id = ${productId} and e.event = g.event) as ok
        from unnest(${sql.raw(`array[${DEFAULT_GOALS.map((g) => `'${g}'`).join(", ")}]`)}::text[]) as g(event)`,
  );
  const found = new Set(rows.filter((r) => r.ok).map((r) => r.event));
  return DEFAULT_GOALS.filter((g) => found.has(g));
}

/**
 * The activity figures from raw events, one query each: the reference the
 * rollup's single statement must equal (and the benchmark's naive path).
 */
async function rawActivityFigures(
  db: Db,
  scope: ActivityScope & { firstDay: string; endDay: string },
  week: { firstDay: string; endDay: string } | null,
  month: { firstDay: string; endDay: string } | null,
): Promise<ActivityFigures> {
  const [daily, wauOwn, mauOwn, newUsers, sessions] = await Promise.all([
    countDailyActive(db, "raw", scope),
    week ? countDistinctActors(db, "raw", { ...scope, ...week, start: undefined, end: undefined }) : null,
    month ? countDistinctActors(db, "raw", { ...scope, ...month, start: undefined, end: undefined }) : null,
    countNewActors(db, "raw", scope),
    getSessionTotals(db, "raw", scope),
  ]);
  return { ...daily, wau: wauOwn ?? daily.active, mau: mauOwn ?? daily.active, newUsers, sessions };
}

/** Every KPI of one product and period (see docs/metrics.md for each definition). */
export async function getKpiMetrics(
  db: Db,
  params: KpiParams & { goals: readonly string[]; activity?: ActivityFigures },
): Promise<KpiMetrics> {
  const { product, period } = params;
  const source = params.source ?? "rollup";
  const zone = product.timezone;
  const scope = { productId: product.id, zone, ...period, endDay: dayAfter(period) };
  const week = weekOfDay(period.lastDay, zone, product.weekStart);
  const month = monthOfDay(period.lastDay, zone);
  const same = (p: ResolvedPeriod) => p.firstDay === period.firstDay && p.lastDay === period.lastDay;
  const weekScope = { firstDay: week.firstDay, endDay: dayAfter(week) };
  const monthScope = { firstDay: month.firstDay, endDay: dayAfter(month) };
  // Independent queries: on PostgreSQL they run on separate pooled connections at once.
  const [activity, goals, feedback] = await Promise.all([
    params.activity
      ? params.activity
      : source === "rollup"
        ? getActivityFigures(db, scope, weekScope, monthScope)
        : rawActivityFigures(db, scope, same(week) ? null : weekScope, same(month) ? null : monthScope),
    countActorsByEvent(db, source, { ...scope, events: params.goals }),
    getFeedbackFigures(db, { productId: product.id, start: period.start, end: period.end }),
  ]);
  const { wau, mau, sessions, newUsers } = activity;
  const days = fillBuckets(listDays(period), activity.byDay);
  const dau = meanDailyActive(days.map((d) => d.value));
  return {
    dau,
    wau,
    mau,
    stickiness: computeStickiness(dau, mau),
    active_users: activity.active,
    new_users: newUsers,
    returning_users: computeReturning(activity.active, newUsers),
    sessions: sessions.sessions,
    pageviews: activity.pageviews,
    bounce_rate: computeBounceRate(sessions),
    avg_session_seconds: computeAvgSessionSeconds(sessions),
    conversion: Object.fromEntries(
      params.goals.map((g) => {
        const n = goals.get(g) ?? 0;
        return [g, { converters: n, rate: computeConversionRate(n, activity.active) }];
      }),
    ),
    daily_active: days.map((d) => ({ day: d.key, value: d.value })),
    ...feedback,
  };
}

export interface PeriodJson {
  kind: string;
  label: string;
  /** First instant of the period (local midnight of first_day), ISO 8601 UTC. */
  start: string;
  /** First instant after the period, ISO 8601 UTC. */
  end: string;
  first_day: string;
  /** Inclusive. */
  last_day: string;
}

export interface KpiReport {
  product: string;
  period: PeriodJson;
  previous_period: PeriodJson;
  goals: string[];
  metrics: KpiMetrics;
  previous: KpiMetrics;
  /** For each numeric KPI: current - previous and (current - previous) / previous (null when previous is 0). */
  changes: Record<string, { change: number | null; change_ratio: number | null }>;
  /** Targets set for this period kind (day, week, month), with their status. */
  targets: Record<string, TargetResult>;
}

export function toPeriodJson(p: ResolvedPeriod): PeriodJson {
  return {
    kind: p.kind,
    label: p.label,
    start: p.start.toISOString(),
    end: p.end.toISOString(),
    first_day: p.firstDay,
    last_day: p.lastDay,
  };
}

function computeChanges(current: KpiMetrics, previous: KpiMetrics): KpiReport["changes"] {
  const out: KpiReport["changes"] = {};
  for (const [key, value] of Object.entries(current)) {
    const before = (previous as unknown as Record<string, unknown>)[key];
    if (typeof value !== "number" && value !== null) continue;
    if (typeof before !== "number" && before !== null) continue;
    const ok = typeof value === "number" && typeof before === "number";
    out[key] = {
      change: ok ? value - before : null,
      change_ratio: ok && before !== 0 ? (value - before) / before : null,
    };
  }
  return out;
}

/** The KPI set of a period next to the period before, with changes and targets. */
export async function getKpiReport(db: Db, params: KpiReportParams): Promise<KpiReport> {
  const { activity, ...rest } = params;
  const goals = [...(params.goals ?? (await resolveDefaultGoals(db, params.product.id)))];
  const prev = previousPeriod(params.period, params.product.timezone);
  const [metrics, previous] = await Promise.all([
    getKpiMetrics(db, { ...rest, goals, activity: activity?.[0] }),
    getKpiMetrics(db, { ...rest, period: prev, goals, activity: activity?.[1] }),
  ]);
  const kind = params.period.kind;
  const targets = kind === "custom" ? [] : await listTargets(db, params.product.id, kind);
  return {
    product: params.product.slug,
    period: toPeriodJson(params.period),
    previous_period: toPeriodJson(prev),
    goals,
    metrics,
    previous,
    changes: computeChanges(metrics, previous),
    targets: compareTargets(targets, metrics as unknown as Record<string, unknown>),
  };
}
