import { createHash } from "node:crypto";

/** JSON with object keys sorted at every depth, so equal values always serialize alike. */
export function stringifyStable(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stringifyStable).join(",")}]`;
  const keys = Object.keys(value).sort();
  const obj = value as Record<string, unknown>;
  return `{${keys
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stringifyStable(obj[k])}`)
    .join(",")}}`;
}

/**
 * A deterministic message id for sources that send none (GA4, CSV rows, Segment
 * messages without messageId): "<source>:" + sha256 hex of the stable form, so
 * importing the same file twice yields the same ids and stores nothing new.
 */
export function hashMessageId(source: string, value: unknown): string {
  return `${source}:${createHash("sha256").update(stringifyStable(value)).digest("hex")}`;
}
