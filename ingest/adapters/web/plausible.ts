import type { IngestItem } from "../../normalized";
import { validateDailyStat } from "../../validate";
import type { Adapter } from "../types";
import { UnreadableInputError } from "../types";
import { columnIndex, openCsv } from "./csv-table";
import { csvHeader } from "./sniff";
import { quote } from "./values";

/** Plausible's metric columns (CSV export and dashboard download); every other column is a dimension. */
const METRICS = new Set([
  "visitors",
  "pageviews",
  "bounces",
  "visits",
  "visit_duration",
  "entrances",
  "exits",
  "events",
  "views_per_visit",
  "bounce_rate",
  "time_on_page",
  "scroll_depth",
  "unique_conversions",
  "total_conversions",
  "conversion_rate",
  "percentage",
]);

/** The dimension column that tells each imported_* table apart, checked in order. */
const SIGNATURES: [string, string[]][] = [
  ["custom_events", ["name", "link_url"]],
  ["sources", ["source"]],
  ["entry_pages", ["entry_page"]],
  ["exit_pages", ["exit_page"]],
  ["pages", ["page"]],
  ["locations", ["country"]],
  ["devices", ["device"]],
  ["browsers", ["browser"]],
  ["operating_systems", ["operating_system"]],
];

const FILE_NAME = /(?:^|[\\/])imported_([a-z_]+?)(?:_\d{8}_\d{8})?(?:\.[a-z0-9]+)*\.csv$/i;

/** The export table: from the file name `imported_<table>_<from>_<to>.csv`, else from the header. */
export function plausibleTable(fileName: string, header: string[]): string | null {
  const m = FILE_NAME.exec(fileName);
  if (m?.[1]) return m[1].toLowerCase();
  const lower = header.map((h) => h.toLowerCase());
  if (!lower.includes("date")) return null;
  for (const [table, cols] of SIGNATURES) if (cols.every((c) => lower.includes(c))) return table;
  return lower.some((h) => METRICS.has(h)) && lower.every((h) => h === "date" || METRICS.has(h))
    ? "visitors"
    : null;
}

function parseMetric(text: string): number | null {
  const t = text.trim();
  return /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(t) ? Number(t) : null;
}

async function* parsePlausible(
  input: AsyncIterable<Uint8Array>,
  fileName: string,
): AsyncGenerator<IngestItem> {
  const { header, rows } = await openCsv(input, "a Plausible imported_*.csv export");
  if (header.length === 0) return;
  const table = plausibleTable(fileName, header);
  const dateAt = columnIndex(header, "date");
  if (!table || dateAt < 0) {
    throw new UnreadableInputError(
      `not a Plausible CSV export table: expected a date column and a file named imported_<table>_<from>_<to>.csv (columns: ${header.slice(0, 20).join(", ")})`,
    );
  }
  for await (const rec of rows) {
    const date = (rec.cells[dateAt] ?? "").trim();
    const reject = (reason: string): IngestItem => ({
      kind: "reject",
      value: { line: rec.line, raw: rec.raw, reason },
    });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      yield reject(`date ${quote(date)} is not YYYY-MM-DD`);
      continue;
    }
    const dimensions: Record<string, string> = {};
    const metrics: Record<string, number> = {};
    let bad: string | null = null;
    header.forEach((name, i) => {
      if (i === dateAt || bad) return;
      const cell = rec.cells[i] ?? "";
      const key = name.toLowerCase();
      if (!METRICS.has(key)) dimensions[key] = cell;
      else if (cell.trim() !== "") {
        const n = parseMetric(cell);
        if (n === null) bad = `${key} ${quote(cell)} is not a number`;
        else metrics[key] = n;
      }
    });
    const value = { table, date, dimensions, metrics };
    const why = bad ?? validateDailyStat(value);
    if (why) yield reject(why);
    else yield { kind: "daily_stat", value, line: rec.line };
  }
}

export const plausibleAdapter: Adapter = {
  name: "plausible",
  kind: "web",
  description: "Plausible CSV export (imported_*.csv daily totals, stored as imported aggregates)",
  sniff(sample, fileName) {
    const header = csvHeader(sample);
    if (!header.includes("date")) return 0;
    if (FILE_NAME.test(fileName)) return 0.95;
    return plausibleTable("", header) ? 0.7 : 0;
  },
  parse(input, ctx) {
    return parsePlausible(input, ctx.fileName);
  },
};
