import { z } from "zod";
import { parseWindow } from "../../../../../../lib/metrics/funnel";
import { parseSteps } from "../../../../../../lib/metrics/funnel-steps";
import { getFunnel } from "../../../../../../lib/queries/funnels";
import { toPeriodJson } from "../../../../../../lib/queries/kpis";
import { periodOf, periodQuery, serveRead } from "../read-api";

const query = periodQuery.extend({
  steps: z.string({ error: "steps is required (e.g. steps=pageview,signed_up)" }),
  window: z.string().default("14d"),
  mode: z.enum(["sequential", "strict", "any"]).default("sequential"),
  exclude: z.string().optional(),
  breakdown: z.string().min(1).optional(),
});

/** A funnel: the body of `metrics funnel --json`. */
export function GET(request: Request, ctx: { params: Promise<{ slug: string }> }) {
  return serveRead(request, ctx.params, query, async (db, product, q) => {
    const period = periodOf(q, product);
    const result = await getFunnel(db, {
      product,
      period,
      steps: parseSteps(q.steps),
      windowMs: parseWindow(q.window),
      mode: q.mode,
      exclusions: (q.exclude ?? "")
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean),
      breakdown: q.breakdown,
    });
    return { ...result, period: toPeriodJson(period) };
  });
}
