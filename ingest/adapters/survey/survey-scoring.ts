import type { QuestionKind } from "../../../db/schema/feedback";

export type ScoreKind = Exclude<QuestionKind, "other">;

/** Default scales: NPS 0-10, CSAT 1-5, CES 1-7 (BRIEF section 5). */
export const DEFAULT_SCALES: Record<ScoreKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

const NPS_TEXT = /recommend|(^|[^a-z])(recom|nps)([^a-z]|$)|net promoter/i;
const CSAT_TEXT = /satisf|(^|[^a-z])csat([^a-z]|$)/i;
const CES_TEXT = /(^|[^a-z])(easy|easier|effort|ces)([^a-z]|$)/i;

/** The score kind a question's wording announces, or null. "Recommend" wins over "satisfied". */
export function kindFromText(text: string): ScoreKind | null {
  if (NPS_TEXT.test(text)) return "nps";
  if (CES_TEXT.test(text)) return "ces";
  if (CSAT_TEXT.test(text)) return "csat";
  return null;
}

/** A `--kind` option value, or null when absent; throws nothing, unknown values count as absent. */
export function kindFromOption(value: string | undefined): ScoreKind | null {
  const v = value?.trim().toLowerCase();
  return v === "nps" || v === "csat" || v === "ces" ? v : null;
}

/**
 * The number a score cell holds: "9", "9.0", "10 - Extremely likely" (SurveyMonkey
 * labels): only a leading number counts, so a label
 * such as "Very satisfied" is not a score. Returns null for an empty cell and NaN
 * for a non-numeric one.
 */
export function parseScoreCell(cell: string): number | null {
  const text = cell.replace(/\u0000/g, "").trim();
  if (text === "") return null;
  const m = /^([+-]?\d+(?:[.,]\d+)?)(?:\s*(?:[-–:=]|\(|$)|\s+[A-Za-z])/.exec(text);
  if (!m) return Number.NaN;
  return Number((m[1] as string).replace(",", "."));
}

/**
 * The scale a column's values fit for a kind, or null when they do not fit.
 * CSAT sometimes runs 1-7 or 1-10: the scale is widened to what is found and
 * kept on each record so CSAT (% of top-two boxes) stays meaningful.
 */
export function scaleForValues(kind: ScoreKind, values: number[]): { min: number; max: number } | null {
  const nums = values.filter((v) => Number.isFinite(v));
  if (nums.length === 0) return null;
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  const base = DEFAULT_SCALES[kind];
  if (kind === "csat" && lo >= 1 && hi > 5) {
    if (hi <= 7) return { min: 1, max: 7 };
    if (hi <= 10) return { min: 1, max: 10 };
    return null;
  }
  if (lo < base.min || hi > base.max) return null;
  return base;
}

/** A kind guessed from values alone (when the wording says nothing): 0 present → NPS, ≤5 → CSAT, ≤7 → CES. */
export function kindFromValues(values: number[]): ScoreKind | null {
  const nums = values.filter((v) => Number.isFinite(v));
  if (nums.length === 0) return null;
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  if (lo >= 0 && hi <= 10 && (lo === 0 || hi > 7)) return "nps";
  if (lo >= 1 && hi <= 5) return "csat";
  if (lo >= 1 && hi <= 7) return "ces";
  return null;
}

/** Free-text questions: wording that asks for a comment. */
export const COMMENT_TEXT =
  /comment|feedback|(^|[^a-z])(why|reason|suggest\w*|improve\w*|explain|elaborate)([^a-z]|$)|anything else|free[- ]?text|open[- ]ended|tell us|what could we/i;
