import { EVENT_TYPES } from "../db/schema/events";
import type {
  NormalizedDailyStat,
  NormalizedEvent,
  NormalizedMention,
  NormalizedSurveyResponse,
} from "./normalized";

const MAX_ID_LENGTH = 255;
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** PostgreSQL text and jsonb cannot hold NUL; real exports (SurveyMonkey) contain it. */
export function stripNul<T>(value: T): T {
  if (typeof value === "string")
    return (value.includes("\u0000") ? value.replaceAll("\u0000", "") : value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = stripNul(value[i]);
      if (v !== value[i]) {
        out ??= value.slice();
        out[i] = v;
      }
    }
    return (out ?? value) as T;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    // Copied only when a key or value held a NUL: the common case allocates nothing.
    const obj = value as Record<string, unknown>;
    let out: Record<string, unknown> | null = null;
    for (const k in obj) {
      if (!Object.hasOwn(obj, k)) continue;
      const v = obj[k];
      const k2 = stripNul(k);
      const v2 = stripNul(v);
      if (out === null && (k2 !== k || v2 !== v)) {
        out = {};
        for (const pk in obj) {
          if (pk === k) break;
          if (Object.hasOwn(obj, pk)) out[pk] = obj[pk];
        }
      }
      if (out !== null) out[k2] = v2;
    }
    return (out ?? value) as T;
  }
  return value;
}

function checkDate(value: Date, field: string, now: Date): string | null {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return `${field} is not a valid date`;
  if (value.getTime() - now.getTime() > MAX_FUTURE_MS) {
    return `${field} ${value.toISOString()} is more than 24 hours in the future`;
  }
  if (value.getUTCFullYear() < 2000) return `${field} ${value.toISOString()} is before the year 2000`;
  return null;
}

function checkId(value: unknown, field: string): string | null {
  if (typeof value !== "string" || value.trim() === "") return `${field} is missing`;
  if (value.length > MAX_ID_LENGTH) return `${field} is longer than ${MAX_ID_LENGTH} characters`;
  return null;
}

/** Why an event cannot be stored, or null when it can. */
export function validateEvent(e: NormalizedEvent, now: Date): string | null {
  return (
    checkId(e.messageId, "message id") ??
    checkDate(e.timestamp, "timestamp", now) ??
    (typeof e.event !== "string" || e.event.trim() === "" ? "event name is missing" : null) ??
    (!EVENT_TYPES.includes(e.type)
      ? `type "${String(e.type)}" is not one of ${EVENT_TYPES.join(", ")}`
      : null) ??
    (!e.userId && !e.anonymousId ? "neither user id nor anonymous id is set" : null)
  );
}

export function validateSurveyResponse(r: NormalizedSurveyResponse, now: Date): string | null {
  const base = checkId(r.externalId, "response id") ?? checkDate(r.submittedAt, "submitted at", now);
  if (base) return base;
  if (r.score == null && !r.comment?.trim()) return "response has neither a score nor a comment";
  if (r.score != null && !Number.isFinite(r.score)) return "score is not a number";
  if (
    r.score != null &&
    r.scaleMin != null &&
    r.scaleMax != null &&
    (r.score < r.scaleMin || r.score > r.scaleMax)
  ) {
    return `score ${r.score} is outside the scale ${r.scaleMin}-${r.scaleMax}`;
  }
  return null;
}

export function validateMention(m: NormalizedMention, now: Date): string | null {
  const base = checkId(m.externalId, "mention id") ?? checkDate(m.createdAt, "created at", now);
  if (base) return base;
  if (!m.title?.trim() && !m.body?.trim()) return "mention has neither a title nor a text";
  return null;
}

export function validateDailyStat(d: NormalizedDailyStat): string | null {
  if (!d.table) return "table is missing";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date) || Number.isNaN(Date.parse(`${d.date}T00:00:00Z`))) {
    return `date "${d.date}" is not YYYY-MM-DD`;
  }
  for (const [k, v] of Object.entries(d.metrics)) {
    if (typeof v !== "number" || !Number.isFinite(v)) return `metric ${k} is not a number`;
  }
  return null;
}
