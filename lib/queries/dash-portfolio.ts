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
import { safeRatio } from "../metrics/ratios";
import type { TargetStatus } from "../metrics/targets";
import { weekOfDateSql } from "./activity-source";
import { listWeekStarts } from "./dash-series";
import { getFeedbackFigures } from "./feedback";
import { DEFAULT_GOALS, getKpiReport } from "./kpis";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";
import { listTargets } from "./targets";

export interface PortfolioRow {
  slug: string;
  name: string;
  timezone: string;
  period: string;
  active: number;
  previousActive: number;
  activeChange: number | null;
  goal: string | null;
  conversion: number | null;
  nps: number | null;
  npsResponses: number;
  netSentiment: number | null;
  mentions: number;
  /** Weekly active users of the 12 weeks ending with the period's last week. */
  trend: number[];
  /** Worst status over the product's targets for this period kind; null without targets. */
  status: TargetStatus | null;
  targets: number;
}

const endDayOf = (p: ResolvedPeriod) => formatDayNumber(parseDateKey(p.lastDay) + 1);

function worst(statuses: (TargetStatus | null)[]): TargetStatus | null {
  if (statuses.includes("off_track")) return "off_track";
  if (statuses.includes("at_risk")) return "at_risk";
  return statuses.includes("on_track") ? "on_track" : null;
}

/**
 * Distinct actors of each of `weekStarts`' product weeks and of two periods
 * (the rollup's countDistinctActors and getWeeklyActivity numbers), in one
 * statement: the session pieces of the union of the spans are read once, with
 * their stored actors (lib/queries/stored-actor.ts), and sorted by actor and
 * day; along that order an actor's first piece in a week (a period) is the one
 * whose predecessor's day is before the week's (period's) first day. Counted
 * per day (one grouping key, date arithmetic for the week) and summed here.
 */
export async function getPortfolioActivity(
  db: Db,
  params: {
    product: Pick<Product, "id" | "weekStart">;
    weekStarts: readonly string[];
    periods: readonly ResolvedPeriod[];
  },
): Promise<{ weekly: number[]; periods: number[] }> {
  const { product, weekStarts, periods } = params;
  const firstWeek = weekStarts[0];
  const lastWeek = weekStarts.at(-1);
  const weeksEnd = lastWeek ? formatDayNumber(parseDateKey(lastWeek) + 7) : undefined;
  const starts = [...(firstWeek ? [firstWeek] : []), ...periods.map((p) => p.firstDay)].sort();
  const ends = [...(weeksEnd ? [weeksEnd] : []), ...periods.map(endDayOf)].sort();
  const lo = starts[0];
  const hi = ends.at(-1);
  if (!lo || !hi) return { weekly: weekStarts.map(() => 0), periods: periods.map(() => 0) };
  const periodCounts = periods.map(
    (p, i) =>
      sql`(count(*) filter (where prev_day is null or prev_day < ${p.firstDay}::date))::int as ${sql.raw(`n${i}`)}`,
  );
  const rows = await queryRows<Record<string, unknown> & { day: string; nw: number }>(
    db,
    sql`select day::text as day,
          (count(*) filter (where prev_day is null or prev_day < ${weekOfDateSql("day", product.weekStart)}))::int as nw
          ${periodCounts.length ? sql`, ${sql.join(periodCounts, sql`, `)}` : sql``}
        from (
          select x.day, lag(x.day) over (partition by x.actor collate "C" order by x.day) as prev_day
          from (
            select ${STORED_ACTOR} as actor, r.day
            from session_pieces r ${PENDING_LINK_JOIN}
            where r.product_id = ${product.id} and r.day >= ${lo}::date and r.day < ${hi}::date
          ) x
        ) w
        group by day`,
  );
  const weeks = new Map<string, number>();
  const counts = periods.map(() => 0);
  for (const r of rows) {
    const week = weekStartOfDay(r.day, product.weekStart);
    weeks.set(week, (weeks.get(week) ?? 0) + Number(r.nw));
    periods.forEach((p, i) => {
      if (r.day >= p.firstDay && r.day <= p.lastDay) counts[i] = (counts[i] ?? 0) + Number(r[`n${i}`] ?? 0);
    });
  }
  return { weekly: weekStarts.map((w) => weeks.get(w) ?? 0), periods: counts };
}

/**
 * The product's first goal (the first of DEFAULT_GOALS it has events for, as
 * resolveDefaultGoals orders them) and its converters in a period (distinct
 * actors with that event, from the rollup), in one statement.
 */
export async function getPortfolioGoal(
  db: Db,
  params: { productId: number; period: ResolvedPeriod },
): Promise<{ goal: string | null; converters: number }> {
  const { productId, period } = params;
  const [row] = await queryRows<{ goal: string; n: number }>(
    db,
    sql`with g as (
          select v.goal from (values ${sql.join(
            DEFAULT_GOALS.map((goal, i) => sql`(${goal}::text, ${i}::int)`),
            sql`, `,
          )}) as v(goal, ord)
          where exists (select 1 from events e where e.product_id = ${productId} and e.event = v.goal)
          order by v.ord limit 1
        )
        select g.goal, (
          select count(distinct ${STORED_ACTOR})::int from event_actor_days r ${PENDING_LINK_JOIN}
          where r.product_id = ${productId} and r.event = g.goal
            and r.day >= ${period.firstDay}::date and r.day < ${endDayOf(period)}::date
        ) as n
        from g`,
  );
  return { goal: row?.goal ?? null, converters: Number(row?.n ?? 0) };
}

/**
 * One product's portfolio row: active users of the period vs the period
 * before, conversion to its first goal, NPS, net sentiment, mentions, the
 * 12-week WAU trend and its status against targets. The full KPI report is
 * computed only when the product has targets for this period kind (it is
 * what they are judged on); otherwise the row is read from cheaper queries
 * with the same definitions.
 */
export async function getPortfolioRow(
  db: Db,
  params: { product: Product; period: ResolvedPeriod; previous: ResolvedPeriod },
): Promise<PortfolioRow> {
  const { product, period, previous } = params;
  const weekStarts = listWeekStarts(weekStartOfDay(period.lastDay, product.weekStart), 12);
  const kind = period.kind === "custom" ? null : period.kind;
  const [activity, goalRow, feedback, targets] = await Promise.all([
    getPortfolioActivity(db, { product, weekStarts, periods: [period, previous] }),
    getPortfolioGoal(db, { productId: product.id, period }),
    getFeedbackFigures(db, { productId: product.id, start: period.start, end: period.end }),
    kind ? listTargets(db, product.id, kind) : Promise.resolve([]),
  ]);
  const [active = 0, previousActive = 0] = activity.periods;
  const { goal, converters } = goalRow;
  let status: TargetStatus | null = null;
  if (targets.length > 0) {
    const report = await getKpiReport(db, { product, period });
    status = worst(Object.values(report.targets).map((t) => t.status));
  }
  return {
    slug: product.slug,
    name: product.name,
    timezone: product.timezone,
    period: period.label,
    active,
    previousActive,
    activeChange: safeRatio(active - previousActive, previousActive),
    goal,
    conversion: goal ? safeRatio(converters, active) : null,
    nps: feedback.nps,
    npsResponses: feedback.nps_responses,
    netSentiment: feedback.net_sentiment,
    mentions: feedback.mentions,
    trend: activity.weekly,
    status,
    targets: targets.length,
  };
}
