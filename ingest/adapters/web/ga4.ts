import type { NormalizedEvent } from "../../normalized";
import type { Adapter } from "../types";
import { normalizeCountry } from "./country";
import { hashMessageId } from "./hash";
import { type Converted, parseJsonEvents } from "./json-adapter";
import { normalizeDevice, normalizeOs } from "./names";
import { hasKeys, sampleRecord } from "./sniff";
import { dateFromEpoch } from "./time";
import { cleanReferrer, parsePageUrl } from "./url";
import { asId, asRecord, asText, compact, firstText, type Json, quote } from "./values";

/** One event_params / user_properties value: whichever of the typed fields is set; INT64 strings become numbers when safe. */
function paramValue(value: unknown): unknown {
  const v = asRecord(value);
  if (!v) return null;
  if (v.string_value != null) return v.string_value;
  if (v.int_value != null) {
    const n = Number(v.int_value);
    return Number.isSafeInteger(n) ? n : String(v.int_value);
  }
  if (v.double_value != null) return Number(v.double_value);
  if (v.float_value != null) return Number(v.float_value);
  return null;
}

/** GA4's repeated {key, value} records as a plain object. */
export function flattenParams(list: unknown): Json {
  const out: Json = {};
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    const rec = asRecord(item);
    const key = asText(rec?.key);
    if (rec && key) out[key] = paramValue(rec.value);
  }
  return out;
}

/** GA4 writes "(not set)", "(none)", "(direct)", "<Other>" or "(data deleted)" where it has nothing. */
function meaningful(value: unknown): string | null {
  const text = asText(value);
  if (!text || /^\(.*\)$/.test(text.trim()) || text === "<Other>") return null;
  return text;
}

/** event_timestamp: microseconds since the epoch, as an INT64 string or a number. */
function readMicros(value: unknown): Date | null {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!/^\d{13,17}$/.test(text)) return null;
  const d = new Date(Math.floor(Number(text) / 1000));
  return Number.isNaN(d.getTime()) ? null : d;
}

const NAMES: Record<string, [string, NormalizedEvent["type"]]> = {
  page_view: ["pageview", "page"],
  screen_view: ["screenview", "screen"],
};

/** Row columns mapped to event columns or flattened elsewhere; the rest are kept under properties.$ga4. */
const CONSUMED = new Set([
  "event_name",
  "event_timestamp",
  "event_params",
  "user_id",
  "user_pseudo_id",
  "user_properties",
]);

function convertGa4(row: Json): Converted {
  const name = asText(row.event_name)?.trim();
  if (!name) return { reason: "event_name is missing" };
  if (row.event_timestamp == null) return { reason: "event_timestamp is missing" };
  const timestamp =
    readMicros(row.event_timestamp) ??
    (typeof row.event_timestamp === "number" ? dateFromEpoch(row.event_timestamp) : null);
  if (!timestamp)
    return { reason: `event_timestamp ${quote(row.event_timestamp)} is not microseconds since the epoch` };
  const userId = asId(row.user_id);
  const anonymousId = asId(row.user_pseudo_id);
  if (!userId && !anonymousId) return { reason: "neither user_id nor user_pseudo_id is set" };

  const params = flattenParams(row.event_params);
  const device = asRecord(row.device) ?? {};
  const web = asRecord(device.web_info) ?? {};
  const geo = asRecord(row.geo) ?? {};
  const firstTouch = asRecord(row.traffic_source) ?? {};
  const collected = asRecord(row.collected_traffic_source) ?? {};
  const url = asText(params.page_location);
  const fromUrl = parsePageUrl(url);
  const sessionNo = asId(params.ga_session_id);
  const [event, type] = NAMES[name] ?? [name, "track"];

  const rest: Json = {};
  for (const [k, v] of Object.entries(row)) if (!CONSUMED.has(k)) rest[k] = v;
  const properties: Json = { ...params, $ga4: compact(rest) };
  const userProps = flattenParams(row.user_properties);
  if (Object.keys(userProps).length > 0) properties.$user_properties = userProps;

  // Event-level (session) attribution first; traffic_source is the user's first touch, the last resort.
  return {
    event: {
      messageId: hashMessageId("ga4", [
        row.user_pseudo_id ?? null,
        row.event_timestamp,
        name,
        row.event_bundle_sequence_id ?? null,
        row.batch_event_index ?? null,
        row,
      ]),
      timestamp,
      event,
      type,
      userId,
      anonymousId,
      sessionId: sessionNo ? `${anonymousId ?? userId}:${sessionNo}` : null,
      url,
      path: fromUrl.path,
      referrer: cleanReferrer(params.page_referrer),
      utmSource: meaningful(
        firstText(collected.manual_source, params.source, fromUrl.utmSource, firstTouch.source),
      ),
      utmMedium: meaningful(
        firstText(collected.manual_medium, params.medium, fromUrl.utmMedium, firstTouch.medium),
      ),
      utmCampaign: meaningful(
        firstText(collected.manual_campaign_name, params.campaign, fromUrl.utmCampaign, firstTouch.name),
      ),
      utmTerm: meaningful(firstText(collected.manual_term, params.term, fromUrl.utmTerm)),
      utmContent: meaningful(firstText(collected.manual_content, params.content, fromUrl.utmContent)),
      country: normalizeCountry(geo.country),
      device: normalizeDevice(device.category),
      browser: meaningful(firstText(web.browser, device.browser)),
      os: normalizeOs(meaningful(device.operating_system)),
      properties,
    },
  };
}

export const ga4Adapter: Adapter = {
  name: "ga4",
  kind: "web",
  description: "Google Analytics 4 BigQuery export rows as NDJSON (events_YYYYMMDD)",
  sniff(sample) {
    const rec = sampleRecord(sample);
    if (!rec || !("event_name" in rec)) return 0;
    return hasKeys(rec, ["event_timestamp", "event_date", "user_pseudo_id", "event_params"]) >= 2
      ? 0.95
      : 0.6;
  },
  parse(input, ctx) {
    return parseJsonEvents(input, "GA4 BigQuery export rows (NDJSON)", ctx.now, (record) =>
      convertGa4(record),
    );
  },
};
