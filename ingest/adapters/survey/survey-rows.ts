import { createHash } from "node:crypto";
import type { IngestItem, NormalizedSurveyResponse } from "../../normalized";
import type { CsvRecord } from "../read-csv";
import { type AdapterContext, UnreadableInputError } from "../types";
import {
  detectCommentColumns,
  detectScoreColumns,
  listColumns,
  mappedColumn,
  type ScoreColumn,
  type SurveyColumn,
} from "./survey-columns";
import { parseScoreCell } from "./survey-scoring";

/** A survey export table whose header rows have been read. */
export interface SurveyTable {
  columns: SurveyColumn[];
  /** Read a submitted-at cell (in the zone the format implies); null when it is not a date. */
  parseDate(text: string): Date | null;
  /** Generic CSV: a file where no score and no comment column is found cannot be imported. */
  requireAnswers?: boolean;
}

/** Rows read before the score columns are chosen: enough for the range check, small enough to stream. */
const DETECTION_ROWS = 500;

const clean = (cell: string | undefined): string => (cell ?? "").replace(/\u0000/g, "").trim();

function pick(
  table: SurveyTable,
  ctx: AdapterContext,
  role: NonNullable<SurveyColumn["role"]>,
  field: string,
) {
  return mappedColumn(table.columns, ctx.options, field) ?? table.columns.find((c) => c.role === role);
}

/** A stable id for a row without one (Google Forms): the same row always hashes the same. */
export function hashRow(cells: string[]): string {
  return createHash("sha1").update(cells.map(clean).join("\u001f")).digest("hex").slice(0, 16);
}

/**
 * Turn survey-export rows into one record per scored answer plus a bare comment
 * record for a response that has comments but no score. The first `DETECTION_ROWS`
 * rows are held back to pick the score columns (wording + value range); the
 * rest stream. Comments attach to the response's primary score record (the
 * first NPS, else CSAT, else CES answer) so each comment is counted once.
 */
export async function* emitSurveyRows(
  rows: AsyncIterator<CsvRecord>,
  table: SurveyTable,
  ctx: AdapterContext,
): AsyncGenerator<IngestItem> {
  const held: CsvRecord[] = [];
  let next = await rows.next();
  while (!next.done && held.length < DETECTION_ROWS) {
    held.push(next.value);
    next = await rows.next();
  }
  const sample = held.map((r) => r.cells);
  const submitted = pick(table, ctx, "submitted_at", "submitted_at");
  if (!submitted) {
    throw new UnreadableInputError(
      `no submitted-at column found: pass --map submitted_at="<column>"; columns are: ${listColumns(table.columns)}`,
    );
  }
  const idCol = pick(table, ctx, "id", "id");
  const respondentCol = pick(table, ctx, "respondent", "respondent");
  const userCol = pick(table, ctx, "user_id", "user_id");
  const questionCol = mappedColumn(table.columns, ctx.options, "question");
  const taken = new Set([submitted, idCol, respondentCol, userCol, questionCol].map((c) => c?.index));
  const columns = table.columns.map((c) =>
    taken.has(c.index) && !c.role ? { ...c, role: "meta" as const } : c,
  );
  const scores = detectScoreColumns(columns, sample, ctx.options);
  const comments = detectCommentColumns(columns, scores, ctx.options);
  if (table.requireAnswers && scores.length === 0 && comments.length === 0) {
    throw new UnreadableInputError(
      `no score column found: pass --map score="<column>" (and --kind nps|csat|ces); columns are: ${listColumns(table.columns)}`,
    );
  }
  const [first, ...others] = scores;
  ctx.note(
    "score_column",
    first
      ? { column: first.column.label, kind: first.kind, reason: first.reason }
      : { column: null, kind: null, reason: "no column's wording and values look like NPS, CSAT or CES" },
  );
  if (others.length > 0) {
    ctx.note(
      "score_columns",
      scores.map((s) => ({ column: s.column.label, kind: s.kind, reason: s.reason })),
    );
  }
  ctx.note(
    "comment_columns",
    comments.map((c) => c.label),
  );
  const used = new Set([...scores.map((s) => s.column.index), ...comments.map((c) => c.index)]);
  const state = { responses: 0, withEmail: 0 };
  const emitRow = (rec: CsvRecord) =>
    rowItems(
      rec,
      { columns, scores, comments, used, submitted, idCol, respondentCol, userCol, questionCol },
      table,
      state,
    );
  for (const rec of held) yield* emitRow(rec);
  while (!next.done) {
    yield* emitRow(next.value);
    next = await rows.next();
  }
  ctx.note("responses", state.responses);
  ctx.note("respondents_with_email", state.withEmail);
}

/** Placeholders such as "N/A" and bare numbers in open-ended columns are not comments. */
const isCommentText = (text: string): boolean =>
  text !== "" && !/^(n\/?a|none|nil|no|-+|\.+|[\d.,\s%$-]+)$/i.test(text);

interface RowPlan {
  columns: SurveyColumn[];
  scores: ScoreColumn[];
  comments: SurveyColumn[];
  used: Set<number>;
  submitted: SurveyColumn;
  idCol?: SurveyColumn;
  respondentCol?: SurveyColumn;
  userCol?: SurveyColumn;
  questionCol?: SurveyColumn;
}

function rowItems(
  rec: CsvRecord,
  plan: RowPlan,
  table: SurveyTable,
  state: { responses: number; withEmail: number },
): IngestItem[] {
  const cells = rec.cells;
  if (cells.every((c) => clean(c) === "")) return [];
  const reject = (reason: string): IngestItem => ({
    kind: "reject",
    value: { line: rec.line, raw: rec.raw, reason },
  });
  const dateText = clean(cells[plan.submitted.index]);
  const submittedAt = table.parseDate(dateText);
  if (!submittedAt) {
    return [
      reject(
        dateText
          ? `column "${plan.submitted.label}": "${dateText.slice(0, 40)}" is not a date`
          : `column "${plan.submitted.label}" is empty`,
      ),
    ];
  }
  state.responses += 1;
  const responseId = (plan.idCol && clean(cells[plan.idCol.index])) || hashRow(cells);
  const respondentText = plan.respondentCol ? clean(cells[plan.respondentCol.index]) : "";
  const userId = plan.userCol ? clean(cells[plan.userCol.index]) || null : null;
  if (respondentText.includes("@")) state.withEmail += 1;
  const metadata: Record<string, unknown> = {};
  const answers: Record<string, string> = {};
  for (const col of plan.columns) {
    const value = clean(cells[col.index]);
    if (!value || plan.used.has(col.index)) continue;
    // Id, date and respondent are on the record itself; other metadata columns are kept as found.
    if (col.role && col.role !== "meta") continue;
    if (col.role) metadata[col.label] = value;
    else answers[col.label] = value;
  }
  if (Object.keys(answers).length > 0) metadata.answers = answers;
  const commentParts = plan.comments.map((c) => clean(cells[c.index])).filter(isCommentText);
  const comment = commentParts.length > 0 ? commentParts.join("\n\n") : null;
  const rowQuestion = plan.questionCol ? clean(cells[plan.questionCol.index]) : "";
  const base = {
    submittedAt,
    respondent: respondentText || userId,
    userId,
    metadata,
  };
  const out: IngestItem[] = [];
  let commentPlaced = false;
  for (const s of plan.scores) {
    const score = parseScoreCell(cells[s.column.index] ?? "");
    if (score === null) continue;
    const cellText = clean(cells[s.column.index]).slice(0, 40);
    if (Number.isNaN(score)) {
      out.push(reject(`column "${s.column.label}": "${cellText}" is not a number`));
      continue;
    }
    if (score < s.scale.min || score > s.scale.max) {
      out.push(
        reject(
          `column "${s.column.label}": ${score} is outside the ${s.kind.toUpperCase()} scale ${s.scale.min}-${s.scale.max}`,
        ),
      );
      continue;
    }
    const value: NormalizedSurveyResponse = {
      ...base,
      externalId: `${responseId}:${rowQuestion || s.column.key}`,
      question: rowQuestion || s.column.label,
      questionKind: s.kind,
      score,
      scaleMin: s.scale.min,
      scaleMax: s.scale.max,
      comment: commentPlaced ? null : comment,
    };
    commentPlaced = true;
    out.push({ kind: "survey", value, line: rec.line });
  }
  if (!commentPlaced && comment) {
    const col = plan.comments.find((c) => isCommentText(clean(cells[c.index]))) as SurveyColumn;
    out.push({
      kind: "survey",
      value: {
        ...base,
        externalId: `${responseId}:${rowQuestion || col.key}`,
        question: rowQuestion || col.label,
        questionKind: "other",
        score: null,
        comment,
      },
      line: rec.line,
    });
  }
  return out;
}
