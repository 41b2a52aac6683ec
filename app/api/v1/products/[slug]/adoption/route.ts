import { getAdoptionReport } from "../../../../../../lib/queries/adoption";
import { toPeriodJson } from "../../../../../../lib/queries/kpis";
import { periodOf, periodQuery, serveRead } from "../read-api";

/** Feature adoption: the body of `metrics adoption --json`. */
export function GET(request: Request, ctx: { params: Promise<{ slug: string }> }) {
  return serveRead(request, ctx.params, periodQuery, async (db, product, q) => {
    const period = periodOf(q, product);
    return { ...(await getAdoptionReport(db, { product, period })), period: toPeriodJson(period) };
  });
}
