import { asRecord, type Json } from "./values";

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function firstOf(value: unknown): Json | null {
  if (Array.isArray(value)) return asRecord(value[0]);
  const obj = asRecord(value);
  if (obj && Array.isArray(obj.batch)) return asRecord(obj.batch[0]);
  return obj;
}

/**
 * Close a JSON text cut off mid-document: drop everything after the last comma
 * that sits outside a string and append the brackets still open there. Good
 * enough to read the keys of a sample's first record; null when nothing is left.
 */
function closeTruncated(text: string): string | null {
  const stack: string[] = [];
  let inString = false;
  let cut: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") stack.push("}");
    else if (c === "[") stack.push("]");
    else if (c === "}" || c === "]") stack.pop();
    else if (c === ",") cut = text.slice(0, i) + [...stack].reverse().join("");
  }
  return cut;
}

/**
 * The first record of a JSON sample, for sniffing: the first NDJSON line, the
 * first element of an array or batch, or the document itself. A sample cut off
 * mid-document is closed at its last complete member first.
 */
export function sampleRecord(sample: string): Json | null {
  const text = sample.replace(/^\uFEFF/, "").trimStart();
  const firstLine = text.split("\n", 1)[0] ?? "";
  const fromLine = firstOf(tryParse(firstLine));
  if (fromLine) return fromLine;
  if (!text.startsWith("{") && !text.startsWith("[")) return null;
  const whole = firstOf(tryParse(text));
  if (whole) return whole;
  const closed = closeTruncated(text);
  return closed ? firstOf(tryParse(closed)) : null;
}

/** Header names of a CSV sample's first line (quotes removed, lower-cased). */
export function csvHeader(sample: string): string[] {
  const first = sample.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  if (first.trimStart().startsWith("{") || first.trimStart().startsWith("[")) return [];
  return first.split(",").map((c) => c.trim().replace(/^"|"$/g, "").toLowerCase());
}

export function hasKeys(obj: Json | null, keys: string[]): number {
  if (!obj) return 0;
  return keys.filter((k) => k in obj).length;
}
