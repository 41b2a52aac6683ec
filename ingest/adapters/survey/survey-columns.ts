import { UnreadableInputError } from "../types";
import {
  COMMENT_TEXT,
  kindFromOption,
  kindFromText,
  kindFromValues,
  parseScoreCell,
  type ScoreKind,
} from "./survey-scoring";

/** One column of a survey export, after its header rows are understood. */
export interface SurveyColumn {
  index: number;
  /** Stable id for external ids and metadata keys: export tag, question number or header. */
  key: string;
  /** Question text shown to the respondent (plus the sub-header for multi-column questions). */
  label: string;
  /** The format itself marks the column as free text (Qualtrics `_TEXT`, SurveyMonkey "Open-Ended Response"). */
  freeText?: boolean;
  /** What the column is when it is not an answer. */
  role?: "id" | "submitted_at" | "respondent" | "user_id" | "meta" | "ignore";
}

export interface ScoreColumn {
  column: SurveyColumn;
  kind: ScoreKind;
  scale: { min: number; max: number };
  reason: string;
}

const SCALES: Record<ScoreKind, { min: number; max: number }[]> = {
  nps: [{ min: 0, max: 10 }],
  csat: [
    { min: 1, max: 5 },
    { min: 1, max: 7 },
    { min: 1, max: 10 },
  ],
  ces: [{ min: 1, max: 7 }],
};
const KIND_ORDER: ScoreKind[] = ["nps", "csat", "ces"];

/** Names a user may give to `--map x=<column>`: the key, the label, or "key - label", case-insensitive. */
export function findColumn(columns: SurveyColumn[], name: string): SurveyColumn | undefined {
  const want = name.trim().toLowerCase();
  return (
    columns.find((c) => c.key.trim().toLowerCase() === want) ??
    columns.find((c) => c.label.trim().toLowerCase() === want) ??
    columns.find((c) => c.label.trim().toLowerCase().startsWith(want) && want.length >= 8)
  );
}

/** Resolve a `--map <field>=<column>` option, or throw naming the option and the columns there are. */
export function mappedColumn(
  columns: SurveyColumn[],
  options: Record<string, string>,
  field: string,
): SurveyColumn | undefined {
  const name = options[`map.${field}`];
  if (name === undefined || name.trim() === "") return undefined;
  const col = findColumn(columns, name);
  if (!col) {
    throw new UnreadableInputError(
      `--map ${field}="${name}" names no column; columns are: ${listColumns(columns)}`,
    );
  }
  return col;
}

export function listColumns(columns: SurveyColumn[]): string {
  return columns
    .map((c) => (c.key === c.label ? `"${c.key}"` : `"${c.key}" (${c.label.slice(0, 60)})`))
    .join(", ");
}

/** The smallest known scale for `kind` that at least 90% of the numeric values fit (outliers are rejected later). */
function fitScale(kind: ScoreKind, nums: number[]): { min: number; max: number } | null {
  for (const scale of SCALES[kind]) {
    const inside = nums.filter((v) => v >= scale.min && v <= scale.max).length;
    if (inside >= 0.9 * nums.length) return scale;
  }
  return null;
}

function columnValues(col: SurveyColumn, rows: string[][]): { nums: number[]; nonNumeric: number } {
  const nums: number[] = [];
  let nonNumeric = 0;
  for (const row of rows) {
    const v = parseScoreCell(row[col.index] ?? "");
    if (v === null) continue;
    if (Number.isNaN(v)) nonNumeric += 1;
    else nums.push(v);
  }
  return { nums, nonNumeric };
}

/**
 * Which columns hold scores, from `--map score` / `--kind` when given, else from
 * the question wording ("recommend" → NPS, "satisf" → CSAT, "easy"/"effort" →
 * CES) confirmed by the values: mostly numeric, 90% of the numbers inside the scale.
 * The first NPS column (else CSAT, else CES) comes first: it is the primary one
 * that free-text comments attach to.
 */
export function detectScoreColumns(
  columns: SurveyColumn[],
  sample: string[][],
  options: Record<string, string>,
): ScoreColumn[] {
  const forcedKind = kindFromOption(options.kind);
  const mapped = mappedColumn(columns, options, "score");
  if (mapped) {
    const { nums } = columnValues(mapped, sample);
    const kind = forcedKind ?? kindFromText(mapped.label) ?? kindFromText(mapped.key) ?? kindFromValues(nums);
    if (!kind) {
      throw new UnreadableInputError(
        `cannot tell whether --map score="${options["map.score"]}" is NPS, CSAT or CES: pass --kind nps|csat|ces`,
      );
    }
    const scale = fitScale(kind, nums) ?? (SCALES[kind][0] as { min: number; max: number });
    const by = forcedKind ? "--kind" : "question text or values";
    return [{ column: mapped, kind, scale, reason: `--map score; kind from ${by}` }];
  }
  const found: ScoreColumn[] = [];
  for (const col of columns) {
    if (col.role || col.freeText) continue;
    const textKind = kindFromText(col.label) ?? kindFromText(col.key);
    if (!textKind) continue;
    const kind = forcedKind ?? textKind;
    const { nums, nonNumeric } = columnValues(col, sample);
    if (nums.length === 0 || nonNumeric >= nums.length) continue;
    const scale = fitScale(kind, nums);
    if (!scale) continue;
    const reason = `question text suggests ${textKind.toUpperCase()}; values ${Math.min(...nums)}-${Math.max(...nums)} fit ${scale.min}-${scale.max}`;
    found.push({ column: col, kind, scale, reason: forcedKind ? `${reason}; --kind ${forcedKind}` : reason });
  }
  return found.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}

/** Free-text columns: `--map comment`, else those the format marks, else wording that asks for a comment. */
export function detectCommentColumns(
  columns: SurveyColumn[],
  scores: ScoreColumn[],
  options: Record<string, string>,
): SurveyColumn[] {
  const mapped = mappedColumn(columns, options, "comment");
  if (mapped) return [mapped];
  const scoreIdx = new Set(scores.map((s) => s.column.index));
  return columns.filter(
    (c) => !c.role && !scoreIdx.has(c.index) && (c.freeText || COMMENT_TEXT.test(c.label)),
  );
}
