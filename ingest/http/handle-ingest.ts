import type { Db } from "../../db/client";
import { isUnavailableError } from "../../db/errors";
import { type VerifiedApiKey, verifyApiKey } from "../../lib/auth/api-keys";
import { normalizePosthogEvent } from "../adapters/web/posthog";
import { normalizeSegmentMessage } from "../adapters/web/segment";
import type { NormalizedEvent } from "../normalized";
import { writeEvents } from "../pipeline";
import { stripNul, validateEvent } from "../validate";
import { scheduleCompaction } from "./compaction";
import { RateLimiter } from "./rate-limit";
import { readJsonBody } from "./read-body";
import { extractWriteKey } from "./write-key";

export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_EVENTS = 1000;

const limiter = new RateLimiter(
  Number(process.env.NORTHSTAR_INGEST_RATE_PER_SECOND) || 200,
  Number(process.env.NORTHSTAR_INGEST_BURST) || 400,
);

export type SegmentEndpoint = "track" | "page" | "identify" | "screen" | "batch";
type Normalized = { event: NormalizedEvent } | { reason: string };

export interface IngestResponseBody {
  accepted: number;
  duplicates: number;
  rejected: { index: number; reason: string }[];
}

/** CORS for browser SDKs: ingest uses keys, never cookies, so any origin may send. */
export const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, content-encoding",
  "access-control-max-age": "86400",
};

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, {
    status,
    headers: { ...CORS_HEADERS, "cache-control": "no-store", ...headers },
  });
}

const unavailable = () =>
  reply(503, { error: "the database is unavailable; retry later" }, { "retry-after": "5" });

interface IngestPlan {
  maxBytes: number;
  source: string;
  /** The messages of a body, or why the body has none. */
  messages(body: unknown): unknown[] | string;
  normalize(raw: unknown, receivedAt: Date, body: unknown): Normalized;
}

/**
 * The one shape of every ingest request: read the body within its limit,
 * authenticate the write key, rate-limit it, normalize each message, and
 * answer only after the accepted events are committed.
 */
async function ingest(getDb: () => Promise<Db>, req: Request, plan: IngestPlan): Promise<Response> {
  const receivedAt = new Date();
  const body = await readJsonBody(req, plan.maxBytes);
  if (!body.ok) return reply(body.status, { error: body.error });
  const key = extractWriteKey(req.headers, body.value);
  if (!key) return reply(401, { error: "missing write key (HTTP Basic user, Bearer token or api_key)" });

  let db: Db;
  let verified: VerifiedApiKey | null;
  try {
    db = await getDb();
    verified = await verifyApiKey(db, key, "write");
  } catch (err) {
    if (isUnavailableError(err)) return unavailable();
    throw err;
  }
  if (!verified) return reply(401, { error: "unknown or revoked write key" });
  const wait = limiter.take(`key:${verified.keyId}`);
  if (wait > 0) return reply(429, { error: "rate limit exceeded" }, { "retry-after": String(wait) });

  const messages = plan.messages(body.value);
  if (typeof messages === "string") return reply(400, { error: messages });
  if (messages.length > MAX_BATCH_EVENTS) {
    return reply(413, { error: `a batch holds at most ${MAX_BATCH_EVENTS} events` });
  }
  const accepted: NormalizedEvent[] = [];
  const rejected: { index: number; reason: string }[] = [];
  messages.forEach((raw, index) => {
    if (Buffer.byteLength(JSON.stringify(raw) ?? "") > MAX_EVENT_BYTES) {
      rejected.push({ index, reason: "event is larger than 32 KB" });
      return;
    }
    const result = plan.normalize(raw, receivedAt, body.value);
    const why = "reason" in result ? result.reason : validateEvent(result.event, receivedAt);
    if (why !== null || "reason" in result) rejected.push({ index, reason: why ?? "invalid event" });
    else accepted.push(stripNul(result.event));
  });
  try {
    const written = await writeEvents(db, verified.productId, null, plan.source, accepted);
    if (written.inserted > 0) scheduleCompaction(db, verified.productId);
    const out: IngestResponseBody = { accepted: written.inserted, duplicates: written.duplicates, rejected };
    return reply(200, out);
  } catch (err) {
    if (isUnavailableError(err)) return unavailable();
    throw err;
  }
}

function segmentMessages(endpoint: SegmentEndpoint) {
  return (body: unknown): unknown[] | string => {
    if (!body || typeof body !== "object" || Array.isArray(body)) return "body must be a JSON object";
    if (endpoint !== "batch") return [body];
    const batch = (body as { batch?: unknown }).batch;
    if (!Array.isArray(batch)) return 'body must be {"batch": [...]}';
    return batch;
  };
}

/** Segment-compatible endpoints: /v1/track, /page, /identify, /screen, /batch. */
export function handleSegmentRequest(getDb: () => Promise<Db>, req: Request, endpoint: SegmentEndpoint) {
  return ingest(getDb, req, {
    maxBytes: endpoint === "batch" ? MAX_BATCH_BYTES : MAX_EVENT_BYTES,
    source: "segment",
    messages: segmentMessages(endpoint),
    normalize(raw, receivedAt, body) {
      // In a batch, the envelope's sentAt and context apply to messages without their own.
      return normalizeSegmentMessage(
        raw,
        endpoint === "batch"
          ? { receivedAt, envelope: body as Record<string, unknown> }
          : { receivedAt, type: endpoint },
      );
    },
  });
}

function posthogMessages(body: unknown): unknown[] | string {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== "object") return "body must be a JSON object or array";
  const b = body as { batch?: unknown; event?: unknown };
  if (Array.isArray(b.batch)) return b.batch;
  if (typeof b.event === "string") return [body];
  return 'body must be an event or {"batch": [...]}';
}

function parseSentAt(body: unknown): Date | null {
  const raw = body && typeof body === "object" ? (body as { sent_at?: unknown }).sent_at : undefined;
  if (typeof raw !== "string") return null;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** PostHog-compatible capture: a single event or a batch, api_key in the body. */
export function handlePosthogRequest(getDb: () => Promise<Db>, req: Request) {
  return ingest(getDb, req, {
    maxBytes: MAX_BATCH_BYTES,
    source: "posthog",
    messages: posthogMessages,
    normalize: (raw, receivedAt, body) =>
      normalizePosthogEvent(raw, { receivedAt, sentAt: parseSentAt(body) }),
  });
}

export function preflight(): Response {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}
