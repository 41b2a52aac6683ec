/** Small, total conversions from untrusted JSON/CSV values. */

export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
}

/** A non-empty trimmed string from a string or a finite number; null otherwise. */
export function asText(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  return null;
}

/** An id: like asText, trimmed, and a boolean or an object is never an id. */
export function asId(value: unknown): string | null {
  const text = asText(value);
  return text === null ? null : text.trim();
}

/** First non-null text among the candidates. */
export function firstText(...values: unknown[]): string | null {
  for (const v of values) {
    const t = asText(v);
    if (t !== null) return t;
  }
  return null;
}

/** Quote a value for a rejection reason, cut short so reasons stay one line. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** Drop null, undefined and empty-string members (exports pad rows with them). */
export function compact(obj: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined && v !== "") out[k] = v;
  return out;
}
