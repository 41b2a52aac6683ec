import type { Adapter } from "../types";
import { readCsvOrThrow, readHeaderRows, sniffHeader, squash } from "./csv-headers";
import type { SurveyColumn } from "./survey-columns";
import { parseSurveyDate } from "./survey-dates";
import { emitSurveyRows } from "./survey-rows";

/** "Timestamp" as Sheets writes it in a few common UI languages. */
const TIMESTAMP = new Set([
  "timestamp",
  "marcatemporal",
  "zeitstempel",
  "horodateur",
  "carimbodedatahora",
  "tijdstempel",
]);
const EMAIL = new Set(
  ["emailaddress", "email", "emailadresse", "correoelectronico", "adressee-mail"].map(squash),
);

/** Google Forms columns: Timestamp, optional e-mail, then one column per question title. */
export function googleFormsColumns(header: string[]): SurveyColumn[] {
  return header.map((raw, index) => {
    const label = raw.trim();
    const s = squash(label);
    const role: SurveyColumn["role"] = TIMESTAMP.has(s)
      ? "submitted_at"
      : EMAIL.has(s)
        ? "respondent"
        : s === "score"
          ? "meta"
          : undefined;
    return {
      index,
      key: label.slice(0, 100) || `column ${index + 1}`,
      label: label || `column ${index + 1}`,
      role,
    };
  });
}

export const googleFormsAdapter: Adapter = {
  name: "google-forms",
  kind: "survey",
  description: "Google Forms responses CSV (from Forms or the linked Sheet)",
  sniff(sample, fileName) {
    const first = squash(sniffHeader(sample)[0]);
    if (!TIMESTAMP.has(first)) return 0;
    return /form|respons/i.test(fileName) ? 0.9 : 0.75;
  },
  async *parse(input, ctx) {
    const rows = readCsvOrThrow(input, ctx.fileName)[Symbol.asyncIterator]();
    const [header] = (await readHeaderRows(rows, 1, ctx.fileName, "Google Forms")) as [string[]];
    const timezone = ctx.options.timezone ?? ctx.timezone;
    // Sheets writes the timestamp in the spreadsheet's locale: day-first locales use dots or
    // slashes; a day above 12 is unambiguous, otherwise `--date-order dmy` can force it.
    const order = ctx.options["date-order"] === "dmy" ? "dmy" : "mdy";
    yield* emitSurveyRows(
      rows,
      { columns: googleFormsColumns(header), parseDate: (t) => parseSurveyDate(t, timezone, order) },
      ctx,
    );
  },
};
