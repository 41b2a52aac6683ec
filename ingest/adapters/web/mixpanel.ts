import type { NormalizedEvent } from "../../normalized";
import type { Adapter } from "../types";
import { normalizeCountry } from "./country";
import { hashMessageId } from "./hash";
import { looksGenerated } from "./ids";
import { type Converted, parseJsonEvents } from "./json-adapter";
import { deviceFromOs, normalizeOs } from "./names";
import { sampleRecord } from "./sniff";
import { dateFromEpoch } from "./time";
import { cleanReferrer, parsePageUrl } from "./url";
import { asId, asRecord, asText, firstText, type Json, quote } from "./values";

/**
 * Mixpanel identities: `$identify` links `$anon_id` to `$identified_id`;
 * `$create_alias` links distinct_id to `alias`. Other events use `$user_id`
 * and `$device_id` when present (simplified ID merge), and distinct_id fills
 * the gap: a "$device:" prefix or an SDK-generated look (UUID, dashed hex)
 * marks a device (anonymous) id, anything else is a user id.
 */
function splitIds(name: string, props: Json): { userId: string | null; anonymousId: string | null } {
  const distinct = asId(props.distinct_id);
  if (name === "$identify") {
    return {
      userId: asId(props.$identified_id) ?? asId(props.$user_id) ?? distinct,
      anonymousId: asId(props.$anon_id) ?? asId(props.$device_id),
    };
  }
  if (name === "$create_alias") return { userId: asId(props.alias), anonymousId: distinct };
  let userId = asId(props.$user_id);
  let anonymousId = asId(props.$device_id);
  if (distinct?.startsWith("$device:")) anonymousId ??= distinct.slice("$device:".length) || null;
  else if (distinct && distinct !== userId && distinct !== anonymousId) {
    if (looksGenerated(distinct) && !anonymousId) anonymousId = distinct;
    else userId ??= distinct;
  }
  return { userId, anonymousId };
}

/** `time` is Unix seconds (fractional allowed); values over 1e11 are taken as milliseconds. */
function readTime(value: unknown): Date | null {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n) || n <= 0) return null;
  const d = dateFromEpoch(n);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The anonymous id given to events that name no person at all. */
export const NO_DISTINCT_ID = "mixpanel:no-distinct-id";

const NAMES: Record<string, [string, NormalizedEvent["type"]]> = {
  $mp_web_page_view: ["pageview", "page"],
  $identify: ["identify", "identify"],
  $create_alias: ["alias", "identify"],
};

function convertMixpanel(raw: Json): Converted {
  const name = asText(raw.event)?.trim();
  if (!name) return { reason: "event is missing" };
  const props = asRecord(raw.properties);
  if (!props) return { reason: "properties is missing or not an object" };
  if (props.time == null || props.time === "") return { reason: "properties.time is missing" };
  const timestamp = readTime(props.time);
  if (!timestamp) return { reason: `properties.time ${quote(props.time)} is not a Unix time` };
  const ids = splitIds(name, props);
  const properties: Json = { ...props };
  delete properties.token;
  if (!ids.userId && !ids.anonymousId) {
    if (name === "$identify" || name === "$create_alias") return { reason: `${name} links no ids` };
    // Mixpanel accepts events without distinct_id (server-side SDKs send them);
    // they are kept under one placeholder actor rather than dropped.
    ids.anonymousId = NO_DISTINCT_ID;
    properties.$no_distinct_id = true;
  }
  const [event, type] = NAMES[name] ?? [name, "track"];
  const url = asText(props.$current_url);
  const fromUrl = parsePageUrl(url);
  const os = normalizeOs(props.$os);
  return {
    event: {
      messageId: asId(props.$insert_id) ?? hashMessageId("mixpanel", raw),
      timestamp,
      event,
      type,
      ...ids,
      sessionId: asId(props.$session_id ?? props.session_id),
      url,
      path: fromUrl.path,
      referrer: cleanReferrer(props.$referrer),
      utmSource: firstText(props.utm_source, fromUrl.utmSource),
      utmMedium: firstText(props.utm_medium, fromUrl.utmMedium),
      utmCampaign: firstText(props.utm_campaign, fromUrl.utmCampaign),
      utmTerm: firstText(props.utm_term, fromUrl.utmTerm),
      utmContent: firstText(props.utm_content, fromUrl.utmContent),
      country: normalizeCountry(props.mp_country_code ?? props.$country_code),
      device: /ipad/i.test(asText(props.$device) ?? "") ? "tablet" : deviceFromOs(os),
      browser: asText(props.$browser),
      os,
      properties,
    },
  };
}

export const mixpanelAdapter: Adapter = {
  name: "mixpanel",
  kind: "web",
  description: "Mixpanel raw event export (JSONL of {event, properties{time, distinct_id, $insert_id, ...}})",
  sniff(sample) {
    const rec = sampleRecord(sample);
    const props = asRecord(rec?.properties);
    if (!rec || !props || typeof rec.event !== "string") return 0;
    if ("distinct_id" in rec || "timestamp" in rec || "uuid" in rec || "api_key" in rec) return 0;
    if (props.time == null) return 0;
    const mp = Object.keys(props).some((k) => k.startsWith("mp_") || k.startsWith("$mp_"));
    return mp || "$insert_id" in props || "distinct_id" in props ? 0.9 : 0.6;
  },
  parse(input, ctx) {
    return parseJsonEvents(input, "Mixpanel export (JSONL)", ctx.now, (record) => convertMixpanel(record));
  },
};
