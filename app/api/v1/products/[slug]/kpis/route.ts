import { z } from "zod";
import { getKpiReport } from "../../../../../../lib/queries/kpis";
import { periodOf, periodQuery, serveRead } from "../read-api";

const query = periodQuery.extend({ goals: z.string().optional() });

/** KPI set of a period vs the previous one, with targets: the body of `metrics kpis --json`. */
export function GET(request: Request, ctx: { params: Promise<{ slug: string }> }) {
  return serveRead(request, ctx.params, query, (db, product, q) =>
    getKpiReport(db, {
      product,
      period: periodOf(q, product),
      goals:
        q.goals === undefined
          ? undefined
          : q.goals
              .split(",")
              .map((g) => g.trim())
              .filter(Boolean),
    }),
  );
}
