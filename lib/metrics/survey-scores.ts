import { mean, safeRatio } from "./ratios";

/** Scores below this many responses are shown with a "fewer than 30 responses" warning. */
export const MIN_RESPONSES = 30;

export interface NpsResult {
  /** % promoters - % detractors, from -100 to 100; null without responses. */
  nps: number | null;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** 95% margin of error of the NPS, in NPS points; null without responses. */
  marginOfError: number | null;
  lowSample: boolean;
}

/**
 * NPS on a 0-10 question: promoters score 9-10, passives 7-8, detractors 0-6;
 * NPS = 100 * (promoters - detractors) / responses. The margin of error treats
 * each answer as +1/0/-1, whose variance is p(1-p) + d(1-d) + 2pd, so
 * MOE = 1.96 * sqrt(variance / n) * 100.
 */
export function computeNps(scores: readonly number[]): NpsResult {
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const passives = n - promoters - detractors;
  if (n === 0) {
    return { nps: null, responses: 0, promoters, passives, detractors, marginOfError: null, lowSample: true };
  }
  const p = promoters / n;
  const d = detractors / n;
  const variance = p * (1 - p) + d * (1 - d) + 2 * p * d;
  return {
    nps: (p - d) * 100,
    responses: n,
    promoters,
    passives,
    detractors,
    marginOfError: 1.96 * Math.sqrt(variance / n) * 100,
    lowSample: n < MIN_RESPONSES,
  };
}

/**
 * CSAT = % of answers in the top two boxes: 4-5 on the usual 1-5 scale
 * (on another scale, the top two values: scaleMax - 1 and scaleMax).
 */
export function computeCsat(answers: readonly { score: number; scaleMax?: number | null }[]): number | null {
  const satisfied = answers.filter((a) => a.score >= (a.scaleMax ?? 5) - 1).length;
  const r = safeRatio(satisfied, answers.length);
  return r === null ? null : r * 100;
}

/** CES = mean effort score, on the survey's own scale. */
export function computeCes(scores: readonly number[]): number | null {
  return mean(scores);
}

/**
 * Sentiment scores in [-1, 1] count as positive above 0.05 and negative below
 * -0.05 (the usual VADER thresholds); net sentiment = (positive - negative) /
 * scored items. Unscored items (null) are left out; null when none is scored.
 */
export function computeNetSentiment(scores: readonly (number | null)[]): number | null {
  const scored = scores.filter((s): s is number => s !== null);
  const positive = scored.filter((s) => s > 0.05).length;
  const negative = scored.filter((s) => s < -0.05).length;
  return safeRatio(positive - negative, scored.length);
}
