import { EVENT_TYPES, type EventType } from "../../../db/schema/events";
import type { IngestItem, NormalizedEvent } from "../../normalized";
import { validateEvent } from "../../validate";
import type { Adapter, AdapterContext } from "../types";
import { UnreadableInputError } from "../types";
import { normalizeCountry } from "./country";
import { columnIndex, openCsv, recordObject } from "./csv-table";
import { hashMessageId } from "./hash";
import { normalizeDevice, normalizeOs } from "./names";
import { isTimeZone, parseTimestamp } from "./time";
import { parsePageUrl } from "./url";
import { type Json, quote } from "./values";

/** `--map <field>=<column>` fields the generic CSV adapter understands. */
export const CSV_FIELDS = [
  "timestamp",
  "event",
  "user",
  "anonymous",
  "message_id",
  "url",
  "path",
  "referrer",
  "session",
  "country",
  "device",
  "browser",
  "os",
  "type",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
] as const;
type Field = (typeof CSV_FIELDS)[number];

function resolveColumns(header: string[], options: Record<string, string>): Partial<Record<Field, number>> {
  const columns = `the file's columns: ${header.join(", ")}`;
  const missing = (["timestamp", "event"] as const).filter((f) => !options[`map.${f}`]);
  if (!options["map.user"] && !options["map.anonymous"]) missing.push("user" as never);
  if (missing.length > 0) {
    const wanted = missing.map((f) =>
      f === ("user" as never) ? "user=<column> (or anonymous=<column>)" : `${f}=<column>`,
    );
    throw new UnreadableInputError(`the csv format needs --map ${wanted.join(" --map ")}; ${columns}`);
  }
  const out: Partial<Record<Field, number>> = {};
  for (const field of CSV_FIELDS) {
    const column = options[`map.${field}`];
    if (!column) continue;
    const at = columnIndex(header, column);
    if (at < 0) throw new UnreadableInputError(`--map ${field}=${column}: no column "${column}"; ${columns}`);
    out[field] = at;
  }
  return out;
}

function typeOf(value: string | null, event: string): EventType | { reason: string } {
  if (value) {
    const t = value.trim().toLowerCase();
    if ((EVENT_TYPES as readonly string[]).includes(t)) return t as EventType;
    return { reason: `type ${quote(value)} is not one of ${EVENT_TYPES.join(", ")}` };
  }
  if (event === "pageview") return "page";
  if (event === "identify") return "identify";
  return "track";
}

function convertRow(
  cells: string[],
  header: string[],
  at: Partial<Record<Field, number>>,
  zone: string,
): NormalizedEvent | { reason: string } {
  const get = (f: Field): string | null => {
    const i = at[f];
    const v = i === undefined ? null : (cells[i] ?? "").trim();
    return v ? v : null;
  };
  const tsText = get("timestamp");
  if (!tsText) return { reason: `timestamp (column "${header[at.timestamp ?? 0]}") is empty` };
  const timestamp = parseTimestamp(tsText, zone);
  if (!timestamp) return { reason: `timestamp ${quote(tsText)} is not a date` };
  const event = get("event");
  if (!event) return { reason: `event (column "${header[at.event ?? 0]}") is empty` };
  const type = typeOf(get("type"), event);
  if (typeof type !== "string") return type;
  const used = new Set(Object.values(at));
  const properties: Json = {};
  header.forEach((h, i) => {
    if (!used.has(i) && (cells[i] ?? "") !== "") properties[h] = cells[i];
  });
  const url = get("url");
  const fromUrl = parsePageUrl(url);
  return {
    messageId: get("message_id") ?? hashMessageId("csv", recordObject(header, cells)),
    timestamp,
    event,
    type,
    userId: get("user"),
    anonymousId: get("anonymous"),
    sessionId: get("session"),
    url,
    path: get("path") ?? fromUrl.path,
    referrer: get("referrer"),
    utmSource: get("utm_source") ?? fromUrl.utmSource,
    utmMedium: get("utm_medium") ?? fromUrl.utmMedium,
    utmCampaign: get("utm_campaign") ?? fromUrl.utmCampaign,
    utmTerm: get("utm_term") ?? fromUrl.utmTerm,
    utmContent: get("utm_content") ?? fromUrl.utmContent,
    country: normalizeCountry(get("country")),
    device: normalizeDevice(get("device")),
    browser: get("browser"),
    os: normalizeOs(get("os")),
    properties,
  };
}

async function* parseGenericCsv(
  input: AsyncIterable<Uint8Array>,
  ctx: AdapterContext,
): AsyncGenerator<IngestItem> {
  const zone = ctx.options.timezone || ctx.timezone || "UTC";
  if (!isTimeZone(zone)) throw new UnreadableInputError(`time zone ${quote(zone)} is not known`);
  const { header, rows } = await openCsv(input, "a CSV file");
  if (header.length === 0) return;
  const at = resolveColumns(header, ctx.options);
  for await (const rec of rows) {
    let result = convertRow(rec.cells, header, at, zone);
    const why = "reason" in result ? null : validateEvent(result, ctx.now);
    if (why) result = { reason: why };
    if ("reason" in result)
      yield { kind: "reject", value: { line: rec.line, raw: rec.raw, reason: result.reason } };
    else yield { kind: "event", value: result, line: rec.line };
  }
}

export const csvAdapter: Adapter = {
  name: "csv",
  kind: "web",
  description:
    "Generic CSV of events with --map timestamp=col,event=col,user=col (or anonymous=col), optional url, path, session, ...",
  // Any CSV could be this one: it is chosen only by name, with its column mapping.
  sniff: () => 0,
  parse: parseGenericCsv,
};
