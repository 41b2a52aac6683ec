import type { EventType } from "../../../db/schema/events";
import type { NormalizedEvent } from "../../normalized";
import type { Adapter } from "../types";
import { countryFromLocale, normalizeCountry } from "./country";
import { hashMessageId } from "./hash";
import { type Converted, parseJsonEvents } from "./json-adapter";
import { deviceFromOs, normalizeDevice, normalizeOs } from "./names";
import { hasKeys, sampleRecord } from "./sniff";
import { parseTimestamp } from "./time";
import { cleanReferrer, parsePageUrl } from "./url";
import { parseUserAgent } from "./user-agent";
import { asId, asRecord, asText, firstText, type Json, quote } from "./values";

export type SegmentCallType = "track" | "page" | "identify" | "screen";

interface SegmentOptions {
  /** Server receive time: the HTTP API's clock, or the message's own `receivedAt` in a file. */
  receivedAt: Date | null;
  type?: SegmentCallType;
  /** A `{"batch": [...]}` wrapper's other keys: `sentAt` and `context` apply to every message. */
  envelope?: Json | null;
}

const CALLS = new Set(["track", "page", "screen", "identify", "alias"]);
const DATE_FIELDS = ["timestamp", "originalTimestamp", "sentAt", "receivedAt"] as const;

type Dates = Partial<Record<(typeof DATE_FIELDS)[number], Date>>;

function readDates(msg: Json, envelope: Json | null): Dates | { reason: string } {
  const out: Dates = {};
  for (const field of DATE_FIELDS) {
    const value = msg[field] ?? (field === "sentAt" ? envelope?.sentAt : undefined);
    if (value === undefined || value === null || value === "") continue;
    const date = parseTimestamp(value);
    if (!date) return { reason: `${field} ${quote(value)} is not a date` };
    out[field] = date;
  }
  return out;
}

/**
 * Segment's clock-skew rule: the client's time (originalTimestamp, else
 * timestamp) shifted by how far the client's clock was off when it sent the
 * batch: receivedAt − (sentAt − clientTime). Without sentAt or a receive time
 * the timestamp is taken as given.
 */
function resolveTime(dates: Dates, receivedAt: Date | null): Date | null {
  const client = dates.originalTimestamp ?? dates.timestamp;
  if (client && dates.sentAt && receivedAt) {
    return new Date(receivedAt.getTime() - (dates.sentAt.getTime() - client.getTime()));
  }
  return dates.timestamp ?? dates.originalTimestamp ?? receivedAt;
}

function eventName(type: string, msg: Json): string | { reason: string } {
  if (type === "page") return "pageview";
  if (type === "screen") return "screenview";
  if (type === "identify") return "identify";
  if (type === "alias") return "alias";
  return asText(msg.event)?.trim() || { reason: "event is missing (a track call needs an event name)" };
}

function describeDevice(context: Json): Pick<NormalizedEvent, "browser" | "os" | "device"> {
  const ua = parseUserAgent(asText(context.userAgent));
  const os = ua.os ?? normalizeOs(asRecord(context.os)?.name);
  const declared = normalizeDevice(asRecord(context.device)?.type);
  const device =
    ua.device ??
    (declared && ["mobile", "tablet", "desktop"].includes(declared) ? declared : deviceFromOs(os));
  return { browser: ua.browser, os, device };
}

function convertSegment(raw: unknown, opts: SegmentOptions): Converted {
  const msg = asRecord(raw);
  if (!msg) return { reason: "message is not a JSON object" };
  const envelope = opts.envelope ?? null;
  const type = opts.type ?? asText(msg.type)?.toLowerCase() ?? (msg.event != null ? "track" : null);
  if (!type) return { reason: "type is missing (expected track, page, screen or identify)" };
  if (type === "group") {
    return { reason: 'type "group" is not stored: Northstar keeps no account-level (group) traits' };
  }
  if (!CALLS.has(type))
    return { reason: `type ${quote(type)} is not one of track, page, screen, identify, alias` };

  const userId = asId(msg.userId);
  let anonymousId = asId(msg.anonymousId);
  if (type === "alias") {
    anonymousId = asId(msg.previousId);
    if (!userId || !anonymousId) return { reason: "alias needs both userId and previousId" };
  }
  if (!userId && !anonymousId) return { reason: "neither userId nor anonymousId is set" };
  const event = eventName(type, msg);
  if (typeof event !== "string") return event;

  const dates = readDates(msg, envelope);
  if ("reason" in dates) return dates;
  const timestamp = resolveTime(dates, opts.receivedAt ?? dates.receivedAt ?? null);
  if (!timestamp) return { reason: "timestamp is missing (no timestamp, originalTimestamp or receivedAt)" };

  const context: Json = { ...asRecord(envelope?.context), ...asRecord(msg.context) };
  const page = asRecord(context.page) ?? {};
  const props = asRecord(msg.properties) ?? {};
  const campaign = asRecord(context.campaign) ?? {};
  const onPage = type === "page";
  const url = firstText(page.url, onPage ? props.url : null);
  const fromUrl = parsePageUrl(url);
  const fromSearch = parsePageUrl(firstText(page.search, onPage ? props.search : null));

  let properties: Json;
  if (type === "identify") properties = { ...(asRecord(msg.traits) ?? {}) };
  else if (type === "alias") properties = { previousId: anonymousId };
  else {
    properties = { ...props };
    for (const key of ["name", "category"])
      if (msg[key] != null && properties[key] == null) properties[key] = msg[key];
  }
  if (Object.keys(context).length > 0) properties.$context = context;

  return {
    event: {
      messageId: asId(msg.messageId) ?? hashMessageId("segment", msg),
      timestamp,
      event,
      type: (type === "alias" ? "identify" : type) as EventType,
      userId,
      anonymousId,
      sessionId: asId(props.session_id ?? props.sessionId ?? context.sessionId),
      url,
      path: firstText(page.path, onPage ? props.path : null) ?? fromUrl.path,
      referrer: cleanReferrer(firstText(page.referrer, onPage ? props.referrer : null)),
      utmSource: firstText(campaign.source, fromUrl.utmSource, fromSearch.utmSource),
      utmMedium: firstText(campaign.medium, fromUrl.utmMedium, fromSearch.utmMedium),
      utmCampaign: firstText(campaign.name, campaign.campaign, fromUrl.utmCampaign, fromSearch.utmCampaign),
      utmTerm: firstText(campaign.term, fromUrl.utmTerm, fromSearch.utmTerm),
      utmContent: firstText(campaign.content, fromUrl.utmContent, fromSearch.utmContent),
      country: normalizeCountry(asRecord(context.location)?.country) ?? countryFromLocale(context.locale),
      ...describeDevice(context),
      properties,
    },
  };
}

/**
 * One Segment spec message (as POSTed to /v1/track, /v1/page, /v1/identify,
 * /v1/screen or inside /v1/batch) to an event. `ctx.type` is the endpoint's
 * call type and wins over the body's `type`. `ctx.receivedAt` is the server's
 * clock: with `sentAt` it corrects client clock skew; without any timestamp the
 * event is dated at receipt. Pass a batch's other keys as `ctx.envelope` so its
 * `sentAt` and `context` apply. Returns a reason instead for group calls, a
 * track without event name, no user or anonymous id, or unparsable dates.
 */
export function normalizeSegmentMessage(
  raw: unknown,
  ctx: { receivedAt: Date; type?: SegmentCallType; envelope?: Record<string, unknown> | null },
): { event: NormalizedEvent } | { reason: string } {
  return convertSegment(raw, { receivedAt: ctx.receivedAt, type: ctx.type, envelope: ctx.envelope ?? null });
}

export const segmentAdapter: Adapter = {
  name: "segment",
  kind: "web",
  description:
    'Segment spec messages (track/page/screen/identify) as NDJSON, a JSON array or {"batch":[...]}',
  sniff(sample) {
    const rec = sampleRecord(sample);
    if (!rec) return 0;
    const typed = typeof rec.type === "string" && CALLS.has(rec.type) ? 1 : 0;
    const ids = hasKeys(rec, ["messageId", "anonymousId", "userId", "originalTimestamp", "sentAt"]);
    if (typed && ids > 0) return 0.95;
    // A pretty-printed message cut short may not reach its "type" key (keys are often sorted).
    if (
      ids > 0 &&
      hasKeys(rec, ["event", "traits", "context", "integrations", "channel", "properties"]) > 0
    ) {
      return 0.7;
    }
    return 0;
  },
  parse(input, ctx) {
    // A file carries no server clock of ours: a message's own receivedAt (if any) is the receive time.
    return parseJsonEvents(input, "Segment messages (JSON)", ctx.now, (record, envelope) =>
      convertSegment(record, { receivedAt: null, envelope }),
    );
  },
};
