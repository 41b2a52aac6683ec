import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { kpiTargets } from "../../db/schema/products";
import { evaluateTarget, type TargetDirection, type TargetStatus } from "../metrics/targets";

/** KPIs a target may be set on (keys of the KPI set). */
export const TARGET_METRICS = [
  "dau",
  "wau",
  "mau",
  "stickiness",
  "active_users",
  "new_users",
  "returning_users",
  "sessions",
  "pageviews",
  "bounce_rate",
  "avg_session_seconds",
  "nps",
  "csat",
  "ces",
  "net_sentiment",
  "mentions",
] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];

/** Bounce rate and effort are better low; every other KPI is better high. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(["bounce_rate", "ces"]);

export const setTargetSchema = z.object({
  productId: z.number().int(),
  metric: z.enum(TARGET_METRICS, { error: `metric must be one of ${TARGET_METRICS.join(", ")}` }),
  value: z.number().finite(),
  period: z.enum(["day", "week", "month"]).default("week"),
  direction: z.enum(["at_least", "at_most"]).optional(),
});

export interface TargetRow {
  metric: string;
  period: "day" | "week" | "month";
  value: number;
  direction: TargetDirection;
}

/** Set (or replace) the target of one KPI for one period kind; direction defaults by metric. */
export async function setTarget(db: Db, params: z.input<typeof setTargetSchema>): Promise<TargetRow> {
  const p = setTargetSchema.parse(params);
  const direction = p.direction ?? (LOWER_IS_BETTER.has(p.metric) ? "at_most" : "at_least");
  await db
    .insert(kpiTargets)
    .values({ productId: p.productId, metric: p.metric, period: p.period, value: p.value, direction })
    .onConflictDoUpdate({
      target: [kpiTargets.productId, kpiTargets.metric, kpiTargets.period],
      set: { value: p.value, direction, updatedAt: sql`now()` },
    });
  return { metric: p.metric, period: p.period, value: p.value, direction };
}

/** A product's targets, optionally only for one period kind. */
export async function listTargets(
  db: Db,
  productId: number,
  period?: "day" | "week" | "month",
): Promise<TargetRow[]> {
  const rows = await db
    .select({
      metric: kpiTargets.metric,
      period: kpiTargets.period,
      value: kpiTargets.value,
      direction: kpiTargets.direction,
    })
    .from(kpiTargets)
    .where(and(eq(kpiTargets.productId, productId), period ? eq(kpiTargets.period, period) : undefined))
    .orderBy(asc(kpiTargets.metric), asc(kpiTargets.period));
  return rows;
}

export interface TargetResult {
  target: number;
  direction: TargetDirection;
  value: number | null;
  status: TargetStatus | null;
}

/** Each target compared with the KPI value of the period. */
export function compareTargets(
  targets: readonly TargetRow[],
  metrics: Readonly<Record<string, unknown>>,
): Record<string, TargetResult> {
  const out: Record<string, TargetResult> = {};
  for (const t of targets) {
    const v = metrics[t.metric];
    const value = typeof v === "number" ? v : null;
    out[t.metric] = {
      target: t.value,
      direction: t.direction,
      value,
      status: evaluateTarget(value, t.value, t.direction),
    };
  }
  return out;
}
