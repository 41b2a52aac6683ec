import { COMMENT_TEXT, kindFromOption, kindFromText, type ScoreKind } from "./survey-scoring";

export interface TypeformField {
  id: string;
  ref?: string;
  type?: string;
  title?: string;
}

export interface TypeformAnswer {
  field?: TypeformField;
  type?: string;
  [value: string]: unknown;
}

export interface FieldPlan {
  kind: ScoreKind | "other";
  scale: { min: number; max: number } | null;
  reason: string;
}

const SCORE_TYPES = new Set(["nps", "opinion_scale", "rating"]);

export const fieldName = (f: TypeformField): string => f.title ?? f.ref ?? f.id;

export function matchesField(f: TypeformField, name: string): boolean {
  const want = name.trim().toLowerCase();
  return [f.id, f.ref, f.title].some((v) => v?.trim().toLowerCase() === want);
}

/**
 * How a Typeform score field counts. `nps` fields are NPS; an opinion scale is
 * NPS when its wording mentions recommending or its answers use 0 and go above
 * 5 (the 0-10 layout); ratings are CSAT (1-5, or the wider scale the answers
 * show); wording about ease or effort makes CES. `--kind` overrides the kind.
 * A field that fits none stays kind "other" with its score kept.
 */
export function planField(field: TypeformField, values: number[], kindOption?: string): FieldPlan {
  const forced = kindFromOption(kindOption);
  const text = `${field.title ?? ""} ${field.ref ?? ""}`;
  const textKind = kindFromText(text);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 0;
  let kind: ScoreKind | "other" = "other";
  let reason = `field type ${field.type ?? "unknown"}`;
  if (forced) [kind, reason] = [forced, "--kind"];
  else if (field.type === "nps") kind = "nps";
  else if (textKind) [kind, reason] = [textKind, `wording suggests ${textKind.toUpperCase()}`];
  else if (field.type === "opinion_scale" && lo === 0 && hi > 5)
    [kind, reason] = ["nps", "opinion scale 0-10"];
  else if (field.type === "rating") kind = "csat";
  if (kind === "other") return { kind, scale: null, reason: `${reason}: not NPS, CSAT or CES` };
  let scale = { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } }[kind];
  if (kind === "csat" && hi > 5) scale = { min: 1, max: hi <= 7 ? 7 : 10 };
  return { kind, scale, reason };
}

export const isScoreField = (f: TypeformField): boolean => SCORE_TYPES.has(f.type ?? "");

/** Long-text answers are comments; short text only when its wording asks for one (names are short text too). */
export function isCommentAnswer(a: TypeformAnswer): boolean {
  if (a.type !== "text" || typeof a.text !== "string") return false;
  const t = a.field?.type;
  if (t === "long_text" || t === "text" || t === undefined) return true;
  return t === "short_text" && COMMENT_TEXT.test(`${a.field?.title ?? ""} ${a.field?.ref ?? ""}`);
}

/** The value of an answer whatever its type, for metadata. */
export function answerValue(a: TypeformAnswer): unknown {
  const key = a.type ?? "";
  const v = a[key];
  if (key === "choice" && v && typeof v === "object") {
    const c = v as { label?: string; other?: string };
    return c.label ?? c.other ?? null;
  }
  if (key === "choices" && v && typeof v === "object") {
    const c = v as { labels?: string[]; other?: string };
    return [...(c.labels ?? []), ...(c.other ? [c.other] : [])];
  }
  return v ?? null;
}
