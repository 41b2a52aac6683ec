import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import { computeFunnel, type FunnelResult, summarizeFunnel } from "../metrics/funnel";
import type { FunnelMode, FunnelSpec, FunnelStepSpec } from "../metrics/funnel-trace";
import { funnelWeeks } from "../metrics/funnel-weeks";
import { formatDayNumber, parseDateKey, type ResolvedPeriod } from "../metrics/period-resolve";
import { loadFunnelEvents } from "./funnel-events";
import { canTraceInSql, traceSequentialInSql } from "./funnel-sequential";

type ProductRef = Pick<Product, "id" | "slug" | "timezone" | "weekStart">;

export const DEFAULT_WINDOW_MS = 14 * 86_400_000;

export interface FunnelParams {
  product: ProductRef;
  /** 2 to 10 steps. */
  steps: FunnelStepSpec[];
  /** Entry range: actors enter with their first step-1 event in it. */
  period: ResolvedPeriod;
  windowMs?: number;
  mode?: FunnelMode;
  exclusions?: string[];
  breakdown?: string;
  /**
   * Ship every step event of every actor to the JS tracer, skipping both SQL
   * reductions: the naive reference the fast paths must equal (tests, benchmark).
   */
  fullScan?: boolean;
}

export interface FunnelReport extends FunnelResult {
  product: string;
  mode: FunnelMode;
  window_seconds: number;
}

/**
 * A funnel over the product's events, by the rules of
 * lib/metrics/funnel-trace.ts: actors enter with their first step-1 event in
 * the period and steps may complete after it, within the window. Sequential
 * funnels without property filters and with distinct steps are traced in SQL
 * (one row per entrant comes back); the others ship each actor's relevant
 * events to the JS tracer (see lib/queries/funnel-events.ts).
 */
export async function getFunnel(db: Db, params: FunnelParams): Promise<FunnelReport> {
  const { product, period, steps } = params;
  if (steps.length < 2 || steps.length > 10) throw new RangeError("a funnel has 2 to 10 steps");
  const windowMs = params.windowMs ?? DEFAULT_WINDOW_MS;
  const mode = params.mode ?? "sequential";
  const spec: FunnelSpec = {
    steps,
    windowMs,
    mode,
    exclusions: params.exclusions,
    breakdown: params.breakdown,
    rangeStart: period.start.getTime(),
    rangeEnd: period.end.getTime(),
  };
  const { weeks, bounds, weekOf } = funnelWeeks(
    period.firstDay,
    period.lastDay,
    product.timezone,
    product.weekStart,
  );
  const fullScan = params.fullScan ?? false;
  const result =
    !fullScan && canTraceInSql(spec)
      ? summarizeFunnel(
          await traceSequentialInSql(db, {
            productId: product.id,
            steps,
            start: period.start,
            end: period.end,
            windowMs,
            exclusions: params.exclusions,
            breakdown: params.breakdown,
            weekBounds: bounds,
            entryDays: {
              firstDay: period.firstDay,
              endDay: formatDayNumber(parseDateKey(period.lastDay) + 1),
            },
          }),
          spec,
          weekOf,
          weeks,
        )
      : computeFunnel(await loadFunnelEvents(db, product.id, spec, { fullScan }), spec, weekOf, weeks);
  return { product: product.slug, mode, window_seconds: windowMs / 1000, ...result };
}
