import type { Db } from "../../../../db/client";
import type { Product } from "../../../../db/schema/products";
import type { FunnelStepSpec } from "../../../../lib/metrics/funnel-trace";
import { previousPeriod, type ResolvedPeriod, weekStartOfDay } from "../../../../lib/metrics/period-resolve";
import { getBoardFigures } from "../../../../lib/queries/board-activity";
import { getBoardFeatureAdopters } from "../../../../lib/queries/dash-board-adoption";
import { getFunnelStepsForPeriods } from "../../../../lib/queries/dash-board-funnel";
import { getDefaultFunnel } from "../../../../lib/queries/dash-events";
import { listFeatureRefs } from "../../../../lib/queries/dash-features";
import { getFeedbackWeeks } from "../../../../lib/queries/dash-feedback-weekly";
import { listAnnotationsInRange, listWeekStarts } from "../../../../lib/queries/dash-series";
import { listNotable } from "../../../../lib/queries/dash-voice";
import { getKpiReport } from "../../../../lib/queries/kpis";
import { listSavedFunnels } from "../../../../lib/queries/saved-funnels";
import type { MoverCandidate } from "../../../../lib/ui/movers";
import { trendRange } from "./trend-range";

/** Weeks in the KPI cards' sparklines. */
export const SPARK_WEEKS = 12;

/** The funnel shown before anyone saves one: pickDefaultFunnel over the product's event names. */
async function defaultFunnel(db: Db, productId: number, now: Date): Promise<FunnelStepSpec[]> {
  return (await getDefaultFunnel(db, productId, now)).map((event) => ({ event }));
}

/** Everything the weekly KPI board shows, for one product and period. */
export async function loadBoard(
  db: Db,
  product: Product,
  period: ResolvedPeriod,
  previous: ResolvedPeriod,
  now: Date,
) {
  const weekStarts = listWeekStarts(weekStartOfDay(period.lastDay, product.weekStart), SPARK_WEEKS);
  const range = trendRange(period);
  // The activity series and both periods' activity KPIs come from one pass over the session pieces.
  const figures = getBoardFigures(db, {
    product,
    weekStarts,
    range,
    periods: [period, previousPeriod(period, product.timezone)],
  });
  const lastTwo = weekStarts.slice(-2);
  const features = listFeatureRefs(db, product.id);
  const saved = listSavedFunnels(db, product.id);
  // Feature adoption of the last two weeks for "top movers": adopters / weekly active users, as the adoption
  // report's trend. It and the funnel's steps start at once, not after the activity statement: on PostgreSQL
  // they run on other pooled connections meanwhile.
  const adopting = features.then((list) =>
    getBoardFeatureAdopters(db, { product, features: list, weekStarts: lastTwo }),
  );
  // "Top movers" and the funnel line need only the step results of both periods, not whole funnel reports.
  const stepping = saved.then(async (list) => {
    const def = list[0]?.definition;
    const steps = def ? def.steps : await defaultFunnel(db, product.id, now);
    return steps.length >= 2
      ? getFunnelStepsForPeriods(db, {
          product,
          steps,
          windowMs: def ? def.windowSeconds * 1000 : undefined,
          mode: def?.mode,
          exclusions: def?.exclusions,
          periods: [period, previous],
        })
      : null;
  });
  const [
    report,
    activity,
    feedbackWeeks,
    annotations,
    notable,
    featureList,
    savedList,
    adopters,
    funnelSteps,
  ] = await Promise.all([
    figures.then(({ periods: [current, before] }) =>
      getKpiReport(db, { product, period, activity: current && before ? [current, before] : undefined }),
    ),
    figures,
    getFeedbackWeeks(db, { product, weekStarts }),
    listAnnotationsInRange(db, { product, range }),
    listNotable(db, { productId: product.id, start: period.start, end: period.end, limit: 6 }),
    features,
    saved,
    adopting,
    stepping,
  ]);
  const { weekly, daily } = activity;
  const activeOf = new Map(weekly.map((w) => [w.week, w.active]));
  const adoption = featureList.map((f) => ({
    key: f.key,
    name: f.name,
    trend: lastTwo.map((week) => {
      const n = adopters.get(f.key)?.get(week) ?? null;
      const active = activeOf.get(week) ?? 0;
      return { week, adopters: n ?? 0, adoption_rate: n === null || active === 0 ? null : n / active };
    }),
  }));
  return {
    report,
    weekly,
    feedbackWeeks,
    daily,
    range,
    annotations,
    notable,
    adoption,
    funnel: funnelSteps
      ? {
          name: savedList[0]?.name ?? "Acquisition funnel",
          now: { steps: funnelSteps[0] ?? [] },
          before: { steps: funnelSteps[1] ?? [] },
        }
      : null,
  };
}

export type BoardData = Awaited<ReturnType<typeof loadBoard>>;

/** Candidates for "top movers": KPIs, funnel steps (conversion from the previous step) and feature adoption. */
export function listMoverCandidates(data: BoardData, slug: string): MoverCandidate[] {
  const { report } = data;
  const m = report.metrics as unknown as Record<string, number | null>;
  const p = report.previous as unknown as Record<string, number | null>;
  const out: MoverCandidate[] = [];
  const kpis: [string, string, MoverCandidate["kind"]][] = [
    ["wau", "Weekly active users", "count"],
    ["dau", "Daily active users", "mean"],
    ["new_users", "New users", "count"],
    ["sessions", "Sessions", "count"],
    ["pageviews", "Pageviews", "count"],
    ["bounce_rate", "Bounce rate", "ratio"],
    ["avg_session_seconds", "Avg. session duration", "seconds"],
    ["mentions", "Mentions", "count"],
  ];
  for (const [key, label, kind] of kpis) {
    out.push({
      group: "KPI",
      label,
      kind,
      current: m[key] ?? null,
      previous: p[key] ?? null,
      href: `/products/${slug}`,
    });
  }
  for (const [goal, c] of Object.entries(report.metrics.conversion)) {
    const before = report.previous.conversion[goal];
    out.push({
      group: "KPI",
      label: `Conversion to ${goal}`,
      kind: "ratio",
      current: c.rate,
      previous: before?.rate ?? null,
      base: Math.min(report.metrics.active_users, report.previous.active_users),
    });
  }
  if (data.funnel) {
    const before = data.funnel.before.steps;
    data.funnel.now.steps.forEach((step, i) => {
      if (i === 0) return;
      const prev = before[i];
      out.push({
        group: "Funnel step",
        label: `${data.funnel?.now.steps[i - 1]?.name} → ${step.name}`,
        kind: "ratio",
        current: step.conversion_from_previous,
        previous: prev?.conversion_from_previous ?? null,
        base: Math.min(data.funnel?.now.steps[i - 1]?.count ?? 0, before[i - 1]?.count ?? 0),
        href: `/products/${slug}/funnels`,
      });
    });
  }
  for (const f of data.adoption) {
    const last = f.trend.at(-1);
    const prior = f.trend.at(-2);
    out.push({
      group: "Feature adoption",
      label: f.name,
      kind: "ratio",
      current: last?.adoption_rate ?? null,
      previous: prior?.adoption_rate ?? null,
      base: Math.min(last?.adopters ?? 0, prior?.adopters ?? 0),
      href: `/products/${slug}/features/${encodeURIComponent(f.key)}`,
    });
  }
  return out;
}
