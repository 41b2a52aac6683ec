import { type Adapter, UnreadableInputError } from "../types";
import { readCsvOrThrow, readHeaderRows, sniffHeader, squash } from "./csv-headers";
import type { SurveyColumn } from "./survey-columns";
import { parseSurveyDate } from "./survey-dates";
import { emitSurveyRows } from "./survey-rows";

/** Qualtrics metadata columns (current names and legacy V1-V10 names) and what they are. */
const META: Record<string, SurveyColumn["role"]> = {
  responseid: "id",
  recordeddate: "submitted_at",
  recipientemail: "respondent",
  emailaddress: "respondent",
  externalreference: "user_id",
  externaldatareference: "user_id",
};
const OTHER_META = new Set(
  [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecipientLastName",
    "RecipientFirstName",
    "LocationLatitude",
    "LocationLongitude",
    "LocationAccuracy",
    "DistributionChannel",
    "UserLanguage",
    "ResponseSet",
    "Name",
    "Q_RecaptchaScore",
    "Q_RelevantIDDuplicate",
  ].map(squash),
);

function importIdOf(cell: string | undefined): { id: string; timeZone?: string } | null {
  if (!cell?.trim().startsWith("{")) return null;
  try {
    const parsed = JSON.parse(cell) as { ImportId?: unknown; timeZone?: unknown };
    if (typeof parsed.ImportId !== "string") return null;
    return {
      id: parsed.ImportId,
      timeZone: typeof parsed.timeZone === "string" ? parsed.timeZone : undefined,
    };
  } catch {
    return null;
  }
}

/**
 * Qualtrics columns from the tag row and the question-text row (and the
 * ImportId row of current exports). Text-analytics columns ("Q2 - Topics") and
 * `_NPS_GROUP` companions are metadata: the raw 0-10 column is the score.
 */
export function qualtricsColumns(tags: string[], texts: string[], ids: string[] | null): SurveyColumn[] {
  const legacy = /^V\d+$/.test((tags[0] ?? "").trim());
  const columns: SurveyColumn[] = [];
  tags.forEach((rawTag, index) => {
    const tag = rawTag.trim();
    const text = (texts[index] ?? "").trim();
    if (!tag && !text) return;
    // Legacy V1..V10 columns carry their real name in the second row.
    const name = legacy && /^V\d+$/.test(tag) ? text : tag;
    const s = squash(name);
    const importId = importIdOf(ids?.[index])?.id ?? "";
    let role: SurveyColumn["role"] = META[s] ?? (OTHER_META.has(s) ? "meta" : undefined);
    if (!role && (/ - /.test(tag) || /_NPS_GROUP$/i.test(tag) || /topics|sentiment/i.test(importId))) {
      role = "meta";
    }
    columns.push({
      index,
      key: name || `column ${index + 1}`,
      label: role ? name : text || name,
      role,
      freeText: !role && (/_TEXT$/i.test(importId) || /_TEXT$/i.test(tag)),
    });
  });
  if (!columns.some((c) => c.role === "submitted_at")) {
    const fallback =
      columns.find((c) => squash(c.key) === "enddate") ?? columns.find((c) => squash(c.key) === "startdate");
    if (fallback) fallback.role = "submitted_at";
  }
  return columns;
}

export const qualtricsAdapter: Adapter = {
  name: "qualtrics",
  kind: "survey",
  description: "Qualtrics CSV export (three header rows, or the legacy V1... layout)",
  sniff(sample) {
    const head = sniffHeader(sample).map(squash);
    if (head[0] === "v1" && head[1] === "v2" && /ResponseI[Dd]/.test(sample)) return 0.9;
    if (sample.includes('{""ImportId""') || sample.includes('{"ImportId"')) return 0.95;
    const hits = ["startdate", "enddate", "responseid", "recordeddate", "finished", "progress"].filter((h) =>
      head.includes(h),
    );
    return hits.length >= 4 ? 0.8 : 0;
  },
  async *parse(input, ctx) {
    const rows = readCsvOrThrow(input, ctx.fileName)[Symbol.asyncIterator]();
    const [tags, texts] = (await readHeaderRows(rows, 2, ctx.fileName, "Qualtrics")) as [string[], string[]];
    const legacy = /^V\d+$/.test((tags[0] ?? "").trim());
    let ids: string[] | null = null;
    let pending: Awaited<ReturnType<typeof rows.next>> | null = null;
    if (!legacy) {
      const third = await rows.next();
      if (!third.done && third.value.cells.some((c) => importIdOf(c))) ids = third.value.cells;
      else pending = third;
    }
    const columns = qualtricsColumns(tags, texts, ids);
    if (columns.length === 0) throw new UnreadableInputError(`${ctx.fileName} has no Qualtrics header`);
    const dateCol = columns.find((c) => c.role === "submitted_at");
    // The ImportId cell of a date column may name the zone the dates were written in.
    const zone =
      ctx.options.timezone ?? (dateCol && importIdOf(ids?.[dateCol.index])?.timeZone) ?? ctx.timezone;
    const all: AsyncIterator<Awaited<ReturnType<typeof rows.next>>["value"]> = pending
      ? {
          next: async () => {
            const p = pending;
            pending = null;
            return p ?? rows.next();
          },
        }
      : rows;
    yield* emitSurveyRows(all, { columns, parseDate: (t) => parseSurveyDate(t, zone, "mdy") }, ctx);
  },
};
