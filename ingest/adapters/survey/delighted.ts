import type { Adapter } from "../types";
import { readCsvOrThrow, readHeaderRows, sniffHeader, squash } from "./csv-headers";
import type { SurveyColumn } from "./survey-columns";
import { parseSurveyDate } from "./survey-dates";
import { emitSurveyRows } from "./survey-rows";

/** Delighted export column names (squashed) and their roles; any other column is a person property. */
const ROLES: Record<string, SurveyColumn["role"] | "score" | "comment"> = {
  responseid: "id",
  id: "id",
  score: "score",
  comment: "comment",
  createdat: "submitted_at",
  responsetimestamp: "submitted_at",
  email: "respondent",
  personemail: "respondent",
  name: "meta",
  personname: "meta",
  userid: "user_id",
  personid: "meta",
};

function delightedColumns(header: string[]): { columns: SurveyColumn[]; score?: string; comment?: string } {
  let score: string | undefined;
  let comment: string | undefined;
  const columns = header.map((raw, index): SurveyColumn => {
    const label = raw.trim() || `column ${index + 1}`;
    const role = ROLES[squash(label)];
    if (role === "score") score ??= label;
    if (role === "comment") comment ??= label;
    // Every unrecognised column is a person property: kept as metadata, never scored.
    const asRole = role === "score" || role === "comment" ? undefined : (role ?? "meta");
    return { index, key: label, label, role: asRole };
  });
  return { columns, score, comment };
}

/**
 * Delighted NPS export CSV: "Score" (0-10) is always the NPS answer and
 * "Comment" its comment, whatever their wording; `--map`/`--kind` still win.
 */
export const delightedAdapter: Adapter = {
  name: "delighted",
  kind: "survey",
  description: "Delighted NPS export CSV (score, comment, created at, person)",
  sniff(sample, fileName) {
    const head = sniffHeader(sample).map(squash);
    const has = (...names: string[]) => names.some((n) => head.includes(n));
    if (!has("score") || !has("createdat", "responsetimestamp")) return 0;
    return has("responseid", "personemail") || /delighted/i.test(fileName) ? 0.9 : has("comment") ? 0.6 : 0.4;
  },
  async *parse(input, ctx) {
    const rows = readCsvOrThrow(input, ctx.fileName)[Symbol.asyncIterator]();
    const [header] = (await readHeaderRows(rows, 1, ctx.fileName, "Delighted")) as [string[]];
    const { columns, score, comment } = delightedColumns(header);
    const options = { ...ctx.options };
    if (score && !options["map.score"]) {
      options["map.score"] = score;
      options.kind ??= "nps";
    }
    if (comment && !options["map.comment"]) options["map.comment"] = comment;
    const timezone = ctx.options.timezone ?? ctx.timezone;
    yield* emitSurveyRows(
      rows,
      { columns, parseDate: (t) => parseSurveyDate(t, timezone, "mdy") },
      { ...ctx, options },
    );
  },
};
