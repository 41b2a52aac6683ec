import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import {
  formatDayNumber,
  parseDateKey,
  type ResolvedPeriod,
  weekStartOfDay,
} from "../metrics/period-resolve";
import { safeRatio } from "../metrics/ratios";
import type { TargetStatus } from "../metrics/targets";
import { getWeeklyActivity, listWeekStarts } from "./dash-series";
import { getFeedbackFigures } from "./feedback";
import { countActorsByEvent, countDistinctActors } from "./kpi-activity";
import { getKpiReport, resolveDefaultGoals } from "./kpis";
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
  const scope = (p: ResolvedPeriod) => ({
    productId: product.id,
    zone: product.timezone,
    start: p.start,
    end: p.end,
    firstDay: p.firstDay,
    endDay: endDayOf(p),
  });
  const weekStarts = listWeekStarts(weekStartOfDay(period.lastDay, product.weekStart), 12);
  const kind = period.kind === "custom" ? null : period.kind;
  const [weekly, active, previousActive, goals, feedback, targets] = await Promise.all([
    getWeeklyActivity(db, { product, weekStarts }),
    countDistinctActors(db, "rollup", scope(period)),
    countDistinctActors(db, "rollup", scope(previous)),
    resolveDefaultGoals(db, product.id),
    getFeedbackFigures(db, { productId: product.id, start: period.start, end: period.end }),
    kind ? listTargets(db, product.id, kind) : Promise.resolve([]),
  ]);
  const goal = goals[0] ?? null;
  const converters = goal
    ? ((await countActorsByEvent(db, "rollup", { ...scope(period), events: [goal] })).get(goal) ?? 0)
    : 0;
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
    trend: weekly.map((w) => w.active),
    status,
    targets: targets.length,
  };
}
