import type { IngestItem } from "../../normalized";
import type { CsvRecord } from "../read-csv";
import { readCsvOrThrow } from "../survey/csv-headers";
import { type Adapter, UnreadableInputError } from "../types";
import { dateOf, num, shortHash } from "./social-text";

const COLUMNS = {
  pkg: "package name",
  versionCode: "app version code",
  versionName: "app version name",
  language: "reviewer language",
  device: "device",
  submitted: "review submit date and time",
  submittedMs: "review submit millis since epoch",
  updated: "review last update date and time",
  rating: "star rating",
  title: "review title",
  text: "review text",
  replyAt: "developer reply date and time",
  reply: "developer reply text",
  link: "review link",
} as const;
type Key = keyof typeof COLUMNS;

function rowItem(rec: CsvRecord, at: Partial<Record<Key, number>>): IngestItem | null {
  const cell = (k: Key) => (at[k] === undefined ? "" : (rec.cells[at[k] as number] ?? "").trim());
  if (rec.cells.every((c) => c.trim() === "")) return null;
  const reject = (reason: string): IngestItem => ({
    kind: "reject",
    value: { line: rec.line, raw: rec.raw, reason },
  });
  const ms = num(cell("submittedMs"));
  const createdAt = ms !== null ? new Date(ms) : dateOf(undefined, cell("submitted"));
  if (!createdAt || Number.isNaN(createdAt.getTime())) {
    return reject(`"Review Submit Date and Time" "${cell("submitted").slice(0, 40)}" is not a date`);
  }
  const rating = num(cell("rating"));
  if (rating === null || rating < 1 || rating > 5)
    return reject(`"Star Rating" "${cell("rating")}" is not 1-5`);
  const text = cell("text");
  const link = cell("link");
  return {
    kind: "mention",
    line: rec.line,
    value: {
      externalId: link || `gp_${shortHash(cell("pkg"), String(createdAt.getTime()), text)}`,
      createdAt,
      url: link || null,
      author: null,
      title: cell("title") || null,
      body: text || null,
      engagement: 0,
      rating,
      metadata: {
        package: cell("pkg") || null,
        version_code: cell("versionCode") || null,
        version_name: cell("versionName") || null,
        language: cell("language") || null,
        device: cell("device") || null,
        last_updated: cell("updated") || null,
        developer_reply: cell("reply") || null,
        developer_reply_at: cell("replyAt") || null,
      },
    },
  };
}

/** Google Play Console monthly reviews CSV (UTF-16 with BOM), columns found by header name. */
export const googlePlayAdapter: Adapter = {
  name: "googleplay",
  kind: "social",
  description: "Google Play Console reviews CSV (reviews_<package>_<YYYYMM>.csv, UTF-16)",
  sniff(sample, fileName) {
    const head = sample.slice(0, 2000).toLowerCase();
    if (head.includes("package name") && head.includes("star rating")) return 0.95;
    return /^reviews_.*_\d{6}\.csv$/i.test(fileName.split(/[\\/]/).pop() ?? "") ? 0.7 : 0;
  },
  async *parse(input, ctx) {
    const rows = readCsvOrThrow(input, ctx.fileName)[Symbol.asyncIterator]();
    const first = await rows.next();
    if (first.done) throw new UnreadableInputError(`${ctx.fileName} is empty`);
    const names = first.value.cells.map((c) => c.trim().toLowerCase());
    const at: Partial<Record<Key, number>> = {};
    for (const [k, name] of Object.entries(COLUMNS) as [Key, string][]) {
      const i = names.indexOf(name);
      if (i >= 0) at[k] = i;
    }
    if (at.rating === undefined || (at.submitted === undefined && at.submittedMs === undefined)) {
      throw new UnreadableInputError(
        `${ctx.fileName} is not a Google Play reviews CSV: needs "Star Rating" and "Review Submit Date and Time" columns`,
      );
    }
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      const item = rowItem(next.value, at);
      if (item) yield item;
    }
  },
};
