import type { IngestItem, NormalizedEvent } from "../../normalized";
import { validateEvent } from "../../validate";
import type { Adapter } from "../types";
import { UnreadableInputError } from "../types";
import { normalizeCountry } from "./country";
import { openCsv, recordObject } from "./csv-table";
import { hashMessageId } from "./hash";
import { normalizeBrowser, normalizeDevice, normalizeOs } from "./names";
import { csvHeader } from "./sniff";
import { isTimeZone, parseTimestamp } from "./time";
import { type Json, quote } from "./values";

const REQUIRED = ["session_id", "created_at"];
const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
/** Columns that become event columns; every other non-empty cell is kept in properties. */
const MAPPED = new Set([
  "session_id",
  "visit_id",
  "event_id",
  "browser",
  "os",
  "device",
  "country",
  "url_path",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_content",
  "utm_term",
  "event_type",
  "event_name",
  "distinct_id",
  "created_at",
]);
/** Umami's event_type (src/lib/constants.ts): 1 pageview, 2 custom, 3 link, 4 pixel, 5 performance. */
const TYPE_NAMES: Record<string, string> = { "3": "link", "4": "pixel", "5": "performance" };

function eventOf(
  row: Record<string, string>,
): { event: string; type: NormalizedEvent["type"] } | { reason: string } {
  const code = (row.event_type ?? "").trim();
  const name = (row.event_name ?? "").trim();
  if (code === "1" || (code === "" && name === "")) return { event: "pageview", type: "page" };
  if (code !== "" && !/^\d+$/.test(code)) return { reason: `event_type ${quote(code)} is not a number` };
  const event = name || TYPE_NAMES[code] || (code ? `umami_event_${code}` : "");
  return event ? { event, type: "track" } : { reason: "event_name is missing for a custom event" };
}

/** The referrer as a URL: Umami splits it into domain, path and query; a bare same-site path is no referrer. */
function referrerOf(row: Record<string, string>): string | null {
  const domain = row.referrer_domain?.trim();
  const path = row.referrer_path?.trim() ?? "";
  const query = row.referrer_query?.trim();
  if (domain) return `https://${domain}${path}${query ? `?${query}` : ""}`;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? path : null;
}

function convertRow(
  row: Record<string, string>,
  raw: string,
  zone: string,
): NormalizedEvent | { reason: string } {
  const created = row.created_at ?? "";
  const timestamp = parseTimestamp(created, zone);
  if (!timestamp) return { reason: `created_at ${quote(created)} is not a date` };
  const kind = eventOf(row);
  if ("reason" in kind) return kind;
  const anonymousId = row.session_id?.trim() || null;
  const userId = row.distinct_id?.trim() || null;
  if (!anonymousId && !userId) return { reason: "session_id is empty" };
  const hostname = row.hostname?.trim();
  const path = row.url_path?.trim() || null;
  const query = row.url_query?.trim();
  const properties: Json = {};
  for (const [k, v] of Object.entries(row)) {
    if (!MAPPED.has(k) && v !== "" && !(k === "job_id" && v === ZERO_UUID)) properties[k] = v;
  }
  return {
    messageId: row.event_id?.trim() || hashMessageId("umami", raw),
    timestamp,
    ...kind,
    userId,
    anonymousId,
    sessionId: row.visit_id?.trim() || anonymousId,
    url: hostname && path ? `https://${hostname}${path}${query ? `?${query}` : ""}` : null,
    path,
    referrer: referrerOf(row),
    utmSource: row.utm_source || null,
    utmMedium: row.utm_medium || null,
    utmCampaign: row.utm_campaign || null,
    utmTerm: row.utm_term || null,
    utmContent: row.utm_content || null,
    country: normalizeCountry(row.country),
    device: normalizeDevice(row.device),
    browser: normalizeBrowser(row.browser),
    os: normalizeOs(row.os),
    properties,
  };
}

/** created_at is UTC without a zone (ClickHouse DateTime('UTC')); `--timezone` overrides for odd exports. */
async function* parseUmami(
  input: AsyncIterable<Uint8Array>,
  zone: string,
  now: Date,
): AsyncGenerator<IngestItem> {
  if (!isTimeZone(zone)) throw new UnreadableInputError(`time zone ${quote(zone)} is not known`);
  const { header, rows } = await openCsv(input, "an Umami website_event CSV export");
  if (header.length === 0) return;
  const lower = header.map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !lower.includes(c));
  if (missing.length > 0) {
    throw new UnreadableInputError(
      `not an Umami website_event export: no ${missing.join(", ")} column (columns: ${header.slice(0, 40).join(", ")})`,
    );
  }
  for await (const rec of rows) {
    let result = convertRow(recordObject(lower, rec.cells), rec.raw, zone);
    const why = "reason" in result ? null : validateEvent(result, now);
    if (why) result = { reason: why };
    if ("reason" in result)
      yield { kind: "reject", value: { line: rec.line, raw: rec.raw, reason: result.reason } };
    else yield { kind: "event", value: result, line: rec.line };
  }
}

export const umamiAdapter: Adapter = {
  name: "umami",
  kind: "web",
  description: "Umami data export CSV (website_event rows, columns matched by name)",
  sniff(sample) {
    const header = csvHeader(sample);
    const hits = ["website_id", "session_id", "event_id", "created_at", "url_path", "event_type"].filter(
      (c) => header.includes(c),
    ).length;
    if (hits >= 5) return 0.95;
    return hits >= 3 && header.includes("session_id") && header.includes("created_at") ? 0.6 : 0;
  },
  parse(input, ctx) {
    return parseUmami(input, ctx.options.timezone || "UTC", ctx.now);
  },
};
