import type { NormalizedEvent } from "../../normalized";
import type { Adapter } from "../types";
import { normalizeCountry } from "./country";
import { hashMessageId } from "./hash";
import { looksGenerated } from "./ids";
import { type Converted, parseJsonEvents } from "./json-adapter";
import { normalizeDevice, normalizeOs } from "./names";
import { hasKeys, sampleRecord } from "./sniff";
import { parseTimestamp } from "./time";
import { cleanReferrer, parsePageUrl } from "./url";
import { parseUserAgent } from "./user-agent";
import { asId, asRecord, asText, firstText, type Json, quote } from "./values";

/**
 * Who a PostHog distinct_id is. PostHog does not say whether an id is anonymous,
 * so: `$identify` links `$anon_distinct_id` to distinct_id and `$create_alias`
 * links `alias` to it; otherwise the id is a user id when the event carries
 * `$user_id` or `$is_identified: true`, or when it does not look like an id
 * posthog-js generates (a UUID or its older dashed-hex form) and
 * `$is_identified` is not false; else it is an anonymous id. An identified
 * event's `$device_id` is kept as its anonymous id, which links device to user.
 */
export function splitPosthogIds(
  event: string,
  distinctId: string | null,
  props: Json,
  raw: Json,
): { userId: string | null; anonymousId: string | null } {
  if (event === "$identify") {
    return { userId: distinctId, anonymousId: asId(props.$anon_distinct_id ?? raw.$anon_distinct_id) };
  }
  if (event === "$create_alias") return { userId: distinctId, anonymousId: asId(props.alias) };
  if (!distinctId) return { userId: asId(props.$user_id), anonymousId: asId(props.$device_id) };
  const looksAnonymous = looksGenerated(distinctId);
  const identified =
    props.$user_id != null ||
    props.$is_identified === true ||
    (props.$is_identified !== false && !looksAnonymous);
  if (!identified) return { userId: null, anonymousId: distinctId };
  const userId = asId(props.$user_id) ?? distinctId;
  const device = asId(props.$device_id) ?? (userId !== distinctId ? distinctId : null);
  return { userId, anonymousId: device !== userId ? device : null };
}

const NAMES: Record<string, [string, NormalizedEvent["type"]]> = {
  $pageview: ["pageview", "page"],
  $screen: ["screenview", "screen"],
  $identify: ["identify", "identify"],
  $create_alias: ["alias", "identify"],
};

function readProperties(raw: Json): { props: Json } | { reason: string } {
  const p = raw.properties;
  if (p == null) return { props: {} };
  if (typeof p === "string") {
    // Some exports carry properties as a JSON string (ClickHouse stores them so).
    try {
      const parsed = asRecord(JSON.parse(p));
      if (parsed) return { props: parsed };
    } catch {}
    return { reason: "properties is a string that is not a JSON object" };
  }
  const obj = asRecord(p);
  return obj ? { props: obj } : { reason: "properties is not an object" };
}

/**
 * PostHog's timestamp rules: `offset` (ms before sending) counts back from the
 * receive time; else a `timestamp` with `sent_at` is corrected for the
 * client's clock (receivedAt − (sent_at − timestamp)) unless
 * `$ignore_sent_at`; else `timestamp`, then `properties.$time`, then receipt.
 * A file has no receive time: an offset then counts back from `sent_at`.
 */
function resolveTime(
  raw: Json,
  props: Json,
  receivedAt: Date | null,
  sentAt: Date | null,
): Date | { reason: string } {
  let timestamp: Date | null = null;
  if (raw.timestamp != null && raw.timestamp !== "") {
    timestamp = parseTimestamp(raw.timestamp);
    if (!timestamp) return { reason: `timestamp ${quote(raw.timestamp)} is not a date` };
  }
  const offset = typeof raw.offset === "number" && Number.isFinite(raw.offset) ? raw.offset : null;
  if (offset !== null && receivedAt) return new Date(receivedAt.getTime() - offset);
  if (offset !== null && sentAt && !timestamp) return new Date(sentAt.getTime() - offset);
  if (timestamp && sentAt && receivedAt && props.$ignore_sent_at !== true) {
    return new Date(receivedAt.getTime() - (sentAt.getTime() - timestamp.getTime()));
  }
  const $time = props.$time != null ? parseTimestamp(props.$time) : null;
  return (
    timestamp ?? $time ?? receivedAt ?? { reason: "timestamp is missing (no timestamp, offset or $time)" }
  );
}

function convertPosthog(raw: unknown, receivedAt: Date | null, sentAtIn: unknown): Converted {
  const rec = asRecord(raw);
  if (!rec) return { reason: "event is not a JSON object" };
  const name = asText(rec.event)?.trim();
  if (!name) return { reason: "event is missing" };
  const read = readProperties(rec);
  if ("reason" in read) return read;
  const props = read.props;
  const sentValue = sentAtIn ?? rec.sent_at;
  const sentAt = sentValue == null || sentValue === "" ? null : parseTimestamp(sentValue);
  if (sentValue != null && sentValue !== "" && !sentAt)
    return { reason: `sent_at ${quote(sentValue)} is not a date` };
  const timestamp = resolveTime(rec, props, receivedAt, sentAt);
  if ("reason" in timestamp) return timestamp;

  const distinctId = asId(rec.distinct_id ?? props.distinct_id ?? rec.$distinct_id);
  const ids = splitPosthogIds(name, distinctId, props, rec);
  if (!ids.userId && !ids.anonymousId) return { reason: "distinct_id is missing" };
  const [event, type] = NAMES[name] ?? [name, "track"];
  const url = asText(props.$current_url);
  const fromUrl = parsePageUrl(url);
  const ua = parseUserAgent(firstText(props.$raw_user_agent, props.$useragent, props.$user_agent));
  const properties: Json = { ...props };
  delete properties.token;
  for (const key of ["$set", "$set_once", "elements_chain"]) {
    if (rec[key] != null && properties[key] == null)
      properties[key === "elements_chain" ? "$elements_chain" : key] = rec[key];
  }
  return {
    event: {
      messageId: asId(rec.uuid) ?? asId(props.$insert_id) ?? hashMessageId("posthog", rec),
      timestamp,
      event,
      type,
      ...ids,
      sessionId: asId(props.$session_id),
      url,
      path: asText(props.$pathname) ?? fromUrl.path,
      referrer: cleanReferrer(props.$referrer),
      utmSource: firstText(props.utm_source, fromUrl.utmSource),
      utmMedium: firstText(props.utm_medium, fromUrl.utmMedium),
      utmCampaign: firstText(props.utm_campaign, fromUrl.utmCampaign),
      utmTerm: firstText(props.utm_term, fromUrl.utmTerm),
      utmContent: firstText(props.utm_content, fromUrl.utmContent),
      country: normalizeCountry(props.$geoip_country_code ?? props.$geoip_country_name),
      device: normalizeDevice(props.$device_type) ?? ua.device,
      browser: asText(props.$browser) ?? ua.browser,
      os: normalizeOs(props.$os) ?? ua.os,
      properties,
    },
  };
}

/**
 * One PostHog capture event (a /capture, /e or /batch item) to an event.
 * `ctx.receivedAt` is the server's clock; `ctx.sentAt` is the body's `sent_at`
 * (an event's own `sent_at` is used when this is absent). Message id: `uuid`,
 * else `properties.$insert_id`, else a hash of the event. The `token`
 * property (the write key posthog-js repeats in every event) is not stored.
 */
export function normalizePosthogEvent(
  raw: unknown,
  ctx: { receivedAt: Date; sentAt?: Date | null },
): { event: NormalizedEvent } | { reason: string } {
  return convertPosthog(raw, ctx.receivedAt, ctx.sentAt ?? null);
}

export const posthogAdapter: Adapter = {
  name: "posthog",
  kind: "web",
  description: "PostHog events: export JSONL (one event per line) or a capture/batch JSON body",
  sniff(sample) {
    const rec = sampleRecord(sample);
    if (!rec || typeof rec.event !== "string") return 0;
    if ("distinct_id" in rec || "api_key" in rec || /^\s*\{\s*"api_key"\s*:/.test(sample)) return 0.9;
    const props = asRecord(rec.properties);
    if (props && "distinct_id" in props && !("time" in props)) return 0.8;
    if (
      hasKeys(rec, ["uuid", "timestamp"]) > 0 &&
      props &&
      hasKeys(props, ["$lib", "$session_id", "$current_url", "distinct_id"]) > 0
    )
      return 0.8;
    return 0;
  },
  parse(input, ctx) {
    return parseJsonEvents(input, "PostHog events (JSON)", ctx.now, (record, envelope) =>
      convertPosthog(record, null, envelope?.sent_at ?? null),
    );
  },
};
