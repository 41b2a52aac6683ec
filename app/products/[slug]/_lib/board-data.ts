import type { Db } from "../../../../db/client";
import type { Product } from "../../../../db/schema/products";
import { type ResolvedPeriod, weekStartOfDay } from "../../../../lib/metrics/period-resolve";
import { listEventNames, pickDefaultFunnel } from "../../../../lib/queries/dash-events";
import { getWeeklyFeatureAdopters, listFeatureRefs } from "../../../../lib/queries/dash-features";
import { getFeedbackWeeks } from "../../../../lib/queries/dash-feedback-weekly";
import {
  getDailyActivity,
  getWeeklyActivity,
  listAnnotationsInRange,
  listWeekStarts,
} from "../../../../lib/queries/dash-series";
import { listComments, listMentions, pickNotable } from "../../../../lib/queries/dash-voice";
import { getFunnel } from "../../../../lib/queries/funnels";
import { getKpiReport } from "../../../../lib/queries/kpis";
import { listSavedFunnels } from "../../../../lib/queries/saved-funnels";
import type { MoverCandidate } from "../../../../lib/ui/movers";
import { trendRange } from "./trend-range";

/** Weeks in the KPI cards' sparklines. */
export const SPARK_WEEKS = 12;

/** Everything the weekly KPI board shows, for one product and period. */
export async function loadBoard(db: Db, product: Product, period: ResolvedPeriod, previous: ResolvedPeriod) {
  const weekStarts = listWeekStarts(weekStartOfDay(period.lastDay, product.weekStart), SPARK_WEEKS);
  const range = trendRange(period);
  const [report, weekly, feedbackWeeks, daily, annotations, comments, mentions, features, names, saved] =
    await Promise.all([
      getKpiReport(db, { product, period }),
      getWeeklyActivity(db, { product, weekStarts }),
      getFeedbackWeeks(db, { product, weekStarts }),
      getDailyActivity(db, { product, range }),
      listAnnotationsInRange(db, { product, range }),
      listComments(db, { productId: product.id, start: period.start, end: period.end, limit: 300 }),
      listMentions(db, { productId: product.id, start: period.start, end: period.end, limit: 300 }),
      listFeatureRefs(db, product.id),
      listEventNames(db, product.id),
      listSavedFunnels(db, product.id),
    ]);
  // Feature adoption of the last two weeks for "top movers": adopters / weekly active users, as the adoption report's trend.
  const adopters = await getWeeklyFeatureAdopters(db, {
    product,
    features,
    weekStarts: weekStarts.slice(-2),
  });
  const activeOf = new Map(weekly.map((w) => [w.week, w.active]));
  const adoption = features.map((f) => ({
    key: f.key,
    name: f.name,
    trend: weekStarts.slice(-2).map((week) => {
      const n = adopters.get(f.key)?.get(week) ?? null;
      const active = activeOf.get(week) ?? 0;
      return { week, adopters: n ?? 0, adoption_rate: n === null || active === 0 ? null : n / active };
    }),
  }));
  const funnelDef = saved[0]?.definition;
  const steps = funnelDef
    ? funnelDef.steps
    : pickDefaultFunnel(names.map((n) => n.event)).map((event) => ({ event }));
  const funnelParams = {
    product,
    steps,
    windowMs: funnelDef ? funnelDef.windowSeconds * 1000 : undefined,
    mode: funnelDef?.mode,
    exclusions: funnelDef?.exclusions,
  };
  const [funnelNow, funnelBefore] =
    steps.length >= 2
      ? await Promise.all([
          getFunnel(db, { ...funnelParams, period }),
          getFunnel(db, { ...funnelParams, period: previous }),
        ])
      : [null, null];
  return {
    report,
    weekly,
    feedbackWeeks,
    daily,
    range,
    annotations,
    notable: pickNotable([...comments, ...mentions], 6),
    adoption,
    funnel: funnelNow
      ? { name: saved[0]?.name ?? "Acquisition funnel", now: funnelNow, before: funnelBefore }
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
  if (data.funnel?.before) {
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
