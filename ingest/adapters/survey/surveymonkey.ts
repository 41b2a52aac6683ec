import type { Adapter } from "../types";
import { readCsvOrThrow, readHeaderRows, sniffHeader, squash } from "./csv-headers";
import type { SurveyColumn } from "./survey-columns";
import { parseSurveyDate } from "./survey-dates";
import { emitSurveyRows } from "./survey-rows";

/** Fixed columns of every SurveyMonkey export (2017 style without spaces, current style with). */
const FIXED: Record<string, SurveyColumn["role"]> = {
  respondentid: "id",
  collectorid: "meta",
  startdate: "meta",
  enddate: "submitted_at",
  ipaddress: "meta",
  emailaddress: "respondent",
  firstname: "meta",
  lastname: "meta",
};
const PLAIN_SUBHEADERS = new Set(["response", "openendedresponse"]);

/**
 * Name each column from SurveyMonkey's two header rows: the question text of
 * row 1 is carried right over the blank cells of a multi-column question, and
 * the row-2 sub-header (choice label, matrix row, "Other (please specify)") is
 * appended unless it is the plain "Response"/"Open-Ended Response".
 */
export function surveyMonkeyColumns(row1: string[], row2: string[]): SurveyColumn[] {
  const columns: SurveyColumn[] = [];
  let question = "";
  let qNumber = 0;
  let sub = 0;
  const width = Math.max(row1.length, row2.length);
  for (let index = 0; index < width; index++) {
    const head = (row1[index] ?? "").replace(/\u0000/g, "").trim();
    const subText = (row2[index] ?? "")
      .replace(/\u0000/g, "")
      .replace(/\s+/g, " ")
      .trim();
    const fixed = FIXED[squash(head)] ?? (squash(head).startsWith("customdata") ? "meta" : undefined);
    if (fixed && head) {
      columns.push({ index, key: head, label: head, role: fixed });
      question = "";
      continue;
    }
    if (head) {
      question = head;
      qNumber += 1;
      sub = 0;
    }
    if (!question) continue;
    sub += 1;
    const plain = PLAIN_SUBHEADERS.has(squash(subText)) || subText === "";
    columns.push({
      index,
      key: sub === 1 ? `Q${qNumber}` : `Q${qNumber}.${sub}`,
      label: plain ? question : `${question} - ${subText}`,
      freeText: squash(subText) === "openendedresponse",
    });
  }
  return columns;
}

export const surveyMonkeyAdapter: Adapter = {
  name: "surveymonkey",
  kind: "survey",
  description: "SurveyMonkey CSV export (two header rows)",
  sniff(sample) {
    const head = sniffHeader(sample).map(squash);
    const hits = ["respondentid", "collectorid", "startdate", "enddate"].filter((h) => head.includes(h));
    return hits.length >= 3 ? 0.95 : hits.includes("respondentid") && hits.includes("collectorid") ? 0.8 : 0;
  },
  async *parse(input, ctx) {
    const rows = readCsvOrThrow(input, ctx.fileName)[Symbol.asyncIterator]();
    const [row1, row2] = (await readHeaderRows(rows, 2, ctx.fileName, "SurveyMonkey")) as [
      string[],
      string[],
    ];
    const timezone = ctx.options.timezone ?? ctx.timezone;
    const columns = surveyMonkeyColumns(row1, row2);
    // Older exports name the completion column "EndDate"; when it is missing use the start date.
    if (!columns.some((c) => c.role === "submitted_at")) {
      const start = columns.find((c) => squash(c.key) === "startdate");
      if (start) start.role = "submitted_at";
    }
    yield* emitSurveyRows(rows, { columns, parseDate: (t) => parseSurveyDate(t, timezone, "mdy") }, ctx);
  },
};
