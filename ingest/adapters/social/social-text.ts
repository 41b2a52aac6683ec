import { createHash } from "node:crypto";
import he from "he";
import { readAllText } from "../read-text";
import { UnreadableInputError } from "../types";

/**
 * HTML fragments (HN comment_text, RSS descriptions) as plain text: paragraphs
 * and <br> become line breaks, tags are dropped but link text is kept, entities
 * are decoded last so an encoded "&lt;b&gt;" stays visible text.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<\s*(script|style)\b[\s\S]*?<\/\s*\1\s*>/gi, "")
    .replace(/<\s*br\s*\/?>/gi, "\n")
    .replace(/<\s*\/?\s*(p|div|li|ul|ol|pre|blockquote|h[1-6])\b[^>]*>/gi, "\n\n")
    .replace(/<[^>]*>/g, "");
  return he
    .decode(text)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Parse a whole JSON input or throw an UnreadableInputError naming the file. */
export async function readJson(input: AsyncIterable<Uint8Array>, fileName: string): Promise<unknown> {
  const text = await readAllText(input);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UnreadableInputError(`${fileName} is not JSON: ${(err as Error).message}`);
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

export const str = (v: unknown): string | null =>
  typeof v === "string" && v.trim() !== ""
    ? v
    : typeof v === "number" && Number.isFinite(v)
      ? String(v)
      : null;

/** A finite number from a number or numeric string, else null. */
export function num(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** Engagement is stored as an integer count; negative scores (downvoted posts) are kept. */
export const engagementOf = (...values: (number | null)[]): number =>
  Math.round(values.reduce<number>((sum, v) => sum + (v ?? 0), 0));

/** Unix seconds (possibly fractional) or an ISO string as a Date; null when neither. */
export function dateOf(seconds: unknown, iso?: unknown): Date | null {
  const s = num(seconds);
  if (s !== null) return new Date(Math.round(s * 1000));
  if (typeof iso === "string" && iso.trim() !== "") {
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return null;
}

export const shortHash = (...parts: string[]): string =>
  createHash("sha1").update(parts.join("\u001f")).digest("hex").slice(0, 20);
