import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";
import { computeCes, computeCsat, computeNetSentiment, computeNps } from "../metrics/survey-scores";

export interface FeedbackFigures {
  nps: number | null;
  nps_responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps_margin_of_error: number | null;
  /** True under 30 NPS responses: show the score with a warning. */
  nps_low_sample: boolean;
  csat: number | null;
  csat_responses: number;
  ces: number | null;
  ces_responses: number;
  /** Survey responses with a non-empty comment. */
  comments: number;
  /** Over scored comments and mentions; null while nothing is scored. */
  net_sentiment: number | null;
  mentions: number;
  mentions_by_source: Record<string, number>;
  /** Themes tagged on comments and mentions of the period, most frequent first (top 10). */
  top_themes: { theme: string; count: number }[];
}

/** Empty-data figures: the same keys, so JSON consumers never miss one. */
export const EMPTY_FEEDBACK: FeedbackFigures = {
  nps: null,
  nps_responses: 0,
  promoters: 0,
  passives: 0,
  detractors: 0,
  nps_margin_of_error: null,
  nps_low_sample: true,
  csat: null,
  csat_responses: 0,
  ces: null,
  ces_responses: 0,
  comments: 0,
  net_sentiment: null,
  mentions: 0,
  mentions_by_source: {},
  top_themes: [],
};

/**
 * Survey and mention figures of a product for submissions / posts in
 * [start, end). NPS, CSAT and CES come from responses of that question kind
 * with a score; sentiment is the stored score (null until enriched: not
 * counted); themes are the stored tags.
 */
export async function getFeedbackFigures(
  db: Db,
  params: { productId: number; start: Date; end: Date },
): Promise<FeedbackFigures> {
  const responses = await queryRows<{
    kind: string;
    score: number | null;
    scale_max: number | null;
    has_comment: boolean;
    sentiment: number | null;
    themes: string[] | null;
  }>(
    db,
    sql`select question_kind as kind, score, scale_max, (coalesce(btrim(comment), '') <> '') as has_comment,
          sentiment, themes
        from survey_responses
        where product_id = ${params.productId}
          and submitted_at >= ${sqlTimestamp(params.start)} and submitted_at < ${sqlTimestamp(params.end)}`,
  );
  const mentionRows = await queryRows<{ source: string; sentiment: number | null; themes: string[] | null }>(
    db,
    sql`select source, sentiment, themes from mentions
        where product_id = ${params.productId}
          and created_at >= ${sqlTimestamp(params.start)} and created_at < ${sqlTimestamp(params.end)}`,
  );
  const scored = (kind: string) =>
    responses
      .filter((r) => r.kind === kind && r.score !== null)
      .map((r) => ({ ...r, score: Number(r.score) }));
  const nps = computeNps(scored("nps").map((r) => r.score));
  const csat = scored("csat");
  const ces = scored("ces");
  const comments = responses.filter((r) => r.has_comment);
  const bySource: Record<string, number> = {};
  for (const m of mentionRows) bySource[m.source] = (bySource[m.source] ?? 0) + 1;
  const themeCounts = new Map<string, number>();
  for (const r of [...comments, ...mentionRows]) {
    for (const t of r.themes ?? []) themeCounts.set(t, (themeCounts.get(t) ?? 0) + 1);
  }
  return {
    nps: nps.nps,
    nps_responses: nps.responses,
    promoters: nps.promoters,
    passives: nps.passives,
    detractors: nps.detractors,
    nps_margin_of_error: nps.marginOfError,
    nps_low_sample: nps.lowSample,
    csat: computeCsat(csat.map((r) => ({ score: r.score, scaleMax: r.scale_max }))),
    csat_responses: csat.length,
    ces: computeCes(ces.map((r) => r.score)),
    ces_responses: ces.length,
    comments: comments.length,
    net_sentiment: computeNetSentiment([
      ...comments.map((r) => (r.sentiment === null ? null : Number(r.sentiment))),
      ...mentionRows.map((m) => (m.sentiment === null ? null : Number(m.sentiment))),
    ]),
    mentions: mentionRows.length,
    mentions_by_source: bySource,
    top_themes: [...themeCounts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([theme, count]) => ({ theme, count })),
  };
}
