import type { Adapter } from "../types";
import { readCsvOrThrow, readHeaderRows, squash } from "./csv-headers";
import type { SurveyColumn } from "./survey-columns";
import { parseSurveyDate } from "./survey-dates";
import { emitSurveyRows } from "./survey-rows";

/** Header names taken without a `--map` (squashed). Anything else needs `--map <field>=<column>`. */
const GUESSES: Record<string, SurveyColumn["role"]> = {
  id: "id",
  responseid: "id",
  submittedat: "submitted_at",
  createdat: "submitted_at",
  timestamp: "submitted_at",
  date: "submitted_at",
  email: "respondent",
  respondent: "respondent",
  userid: "user_id",
};

/**
 * Any survey CSV with one header row. Columns are named with `--map score=...
 * comment=... submitted_at=... respondent=... id=... question=...`; the score
 * kind comes from `--kind` or the score column's wording and values. Without
 * `--map score` the columns whose wording announces NPS/CSAT/CES are taken.
 */
export const surveyCsvAdapter: Adapter = {
  name: "survey-csv",
  kind: "survey",
  description: "Generic survey CSV, columns named with --map score=... comment=... submitted_at=...",
  // Never chosen by `--format auto`: a generic CSV says nothing about its columns.
  sniff: () => 0,
  async *parse(input, ctx) {
    const rows = readCsvOrThrow(input, ctx.fileName)[Symbol.asyncIterator]();
    const [header] = (await readHeaderRows(rows, 1, ctx.fileName, "survey CSV")) as [string[]];
    const mapped = new Set(
      Object.entries(ctx.options)
        .filter(([k]) => k.startsWith("map."))
        .map(([, v]) => squash(v)),
    );
    const columns = header.map((raw, index): SurveyColumn => {
      const label = raw.trim() || `column ${index + 1}`;
      const guess = mapped.has(squash(label)) ? undefined : GUESSES[squash(label)];
      return { index, key: label, label, role: guess };
    });
    const timezone = ctx.options.timezone ?? ctx.timezone;
    const order = ctx.options["date-order"] === "dmy" ? "dmy" : "mdy";
    yield* emitSurveyRows(
      rows,
      { columns, parseDate: (t) => parseSurveyDate(t, timezone, order), requireAnswers: true },
      ctx,
    );
  },
};
