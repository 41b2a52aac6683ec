import { z } from "zod";
import { now } from "../../../../../../lib/clock";
import { toPeriodJson } from "../../../../../../lib/queries/kpis";
import { getRetention } from "../../../../../../lib/queries/retention";
import { periodOf, periodQuery, serveRead } from "../read-api";

const query = periodQuery.extend({
  start_event: z.string().min(1).optional(),
  mode: z.enum(["on", "on_or_after"]).default("on"),
});

/** Weekly retention cohorts: the body of `metrics retention --json`. */
export function GET(request: Request, ctx: { params: Promise<{ slug: string }> }) {
  return serveRead(request, ctx.params, query, async (db, product, q) => {
    const period = periodOf(q, product);
    const result = await getRetention(db, {
      product,
      period,
      startEvent: q.start_event,
      mode: q.mode,
      now: now(),
    });
    return { ...result, period: toPeriodJson(period) };
  });
}
