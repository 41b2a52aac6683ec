import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { formatDayNumber, localMidnight, parseDateKey } from "../metrics/period-resolve";
import { computeCes, computeCsat, computeNetSentiment, computeNps } from "../metrics/survey-scores";
import { weekStartSql } from "./activity-source";

type ProductRef = Pick<Product, "id" | "timezone" | "weekStart">;

export interface FeedbackWeek {
  week: string;
  nps: number | null;
  nps_responses: number;
  nps_margin_of_error: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  csat: number | null;
  csat_responses: number;
  ces: number | null;
  ces_responses: number;
  net_sentiment: number | null;
  /** Scored comments and mentions behind net_sentiment. */
  sentiment_items: number;
  mentions: number;
  mentions_by_source: Record<string, number>;
  /** Sum of the week's mentions' engagement. */
  engagement: number;
}

/**
 * Survey scores, sentiment and mention volume per product week for the weeks
 * starting at `weekStarts` (same formulas as the KPI report, bucketed by the
 * local week of submission / posting).
 */
export async function getFeedbackWeeks(
  db: Db,
  params: { product: ProductRef; weekStarts: readonly string[] },
): Promise<FeedbackWeek[]> {
  const { product, weekStarts } = params;
  const first = weekStarts[0];
  const last = weekStarts.at(-1);
  if (!first || !last) return [];
  const start = localMidnight(first, product.timezone);
  const end = localMidnight(formatDayNumber(parseDateKey(last) + 7), product.timezone);
  const local = (col: string) => sql`(${sql.raw(col)} at time zone ${product.timezone})::date`;
  // Responses (t = 0) and mentions (t = 1) of the span in one statement.
  const rows = await queryRows<{
    t: number;
    week: string;
    kind: string | null;
    score: number | null;
    scale_max: number | null;
    has_comment: boolean | null;
    sentiment: number | null;
    source: string | null;
    engagement: number | null;
  }>(
    db,
    sql`select 0 as t, ${weekStartSql(local("submitted_at"), product.weekStart)}::text as week, question_kind as kind,
          score, scale_max, (coalesce(btrim(comment), '') <> '') as has_comment, sentiment,
          null::text as source, null::int as engagement
        from survey_responses
        where product_id = ${product.id}
          and submitted_at >= ${sqlTimestamp(start)} and submitted_at < ${sqlTimestamp(end)}
        union all
        select 1, ${weekStartSql(local("created_at"), product.weekStart)}::text, null, null, null, null, sentiment,
          source, engagement
        from mentions
        where product_id = ${product.id}
          and created_at >= ${sqlTimestamp(start)} and created_at < ${sqlTimestamp(end)}`,
  );
  const responses = rows.filter((r) => Number(r.t) === 0);
  const mentionRows = rows.filter((r) => Number(r.t) === 1);
  return weekStarts.map((week) => {
    const rs = responses.filter((r) => r.week === week);
    const ms = mentionRows.filter((m) => m.week === week);
    const scores = (kind: string) =>
      rs.filter((r) => r.kind === kind && r.score !== null).map((r) => ({ ...r, score: Number(r.score) }));
    const nps = computeNps(scores("nps").map((r) => r.score));
    const csat = scores("csat");
    const ces = scores("ces");
    const sentiments = [
      ...rs.filter((r) => r.has_comment).map((r) => (r.sentiment === null ? null : Number(r.sentiment))),
      ...ms.map((m) => (m.sentiment === null ? null : Number(m.sentiment))),
    ];
    const bySource: Record<string, number> = {};
    for (const m of ms) bySource[m.source as string] = (bySource[m.source as string] ?? 0) + 1;
    return {
      week,
      nps: nps.nps,
      nps_responses: nps.responses,
      nps_margin_of_error: nps.marginOfError,
      promoters: nps.promoters,
      passives: nps.passives,
      detractors: nps.detractors,
      csat: computeCsat(csat.map((r) => ({ score: r.score, scaleMax: r.scale_max }))),
      csat_responses: csat.length,
      ces: computeCes(ces.map((r) => r.score)),
      ces_responses: ces.length,
      net_sentiment: computeNetSentiment(sentiments),
      sentiment_items: sentiments.filter((s) => s !== null).length,
      mentions: ms.length,
      mentions_by_source: bySource,
      engagement: ms.reduce((n, m) => n + Number(m.engagement), 0),
    };
  });
}
