import { UnreadableInputError } from "../types";
import { MAX_LINE_CHARS, readTextLines, refuseBinary, type TextLine } from "./input";
import { asRecord, type Json } from "./values";

/** A whole JSON document (array or batch) is read into memory only up to this size. */
export const MAX_DOCUMENT_CHARS = 32 * 1024 * 1024;
/** If this many records in a row open the input and none is a JSON object, it is not JSON at all. */
const PROBE_RECORDS = 20;

export type JsonRecord =
  | { ok: true; line: number; raw: string; value: Json; envelope: Json | null }
  | { ok: false; line: number; raw: string; reason: string };

function describeJsonError(err: unknown): string {
  return (err as Error).message.replace(/\s+/g, " ").slice(0, 200);
}

/**
 * The records of a JSON value: an array's elements, a `{"batch": [...]}`
 * wrapper's elements (the wrapper's other keys, such as `sentAt` or `api_key`,
 * come along as the envelope), or the object itself.
 */
function* expand(value: unknown, line: number, raw: string, indexed: boolean): Generator<JsonRecord> {
  const obj = asRecord(value);
  const batch = obj && Array.isArray(obj.batch) ? (obj.batch as unknown[]) : null;
  const list = Array.isArray(value) ? value : batch;
  if (!list) {
    if (obj) yield { ok: true, line, raw, value: obj, envelope: null };
    else yield { ok: false, line, raw, reason: `line ${line} is JSON but not an object` };
    return;
  }
  let envelope: Json | null = null;
  if (obj) {
    const { batch: _batch, ...rest } = obj;
    envelope = rest;
  }
  for (const [i, item] of list.entries()) {
    const at = indexed ? i : line;
    const itemRaw = JSON.stringify(item) ?? String(item);
    const rec = asRecord(item);
    if (rec) yield { ok: true, line: at, raw: itemRaw, value: rec, envelope };
    else yield { ok: false, line: at, raw: itemRaw, reason: `item ${i} is not a JSON object` };
  }
}

function* parseLine(l: TextLine): Generator<JsonRecord> {
  if (l.overlong) {
    yield {
      ok: false,
      line: l.line,
      raw: l.text,
      reason: `line ${l.line} is longer than ${MAX_LINE_CHARS} characters`,
    };
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(l.text);
  } catch (err) {
    yield {
      ok: false,
      line: l.line,
      raw: l.text,
      reason: `line ${l.line} is not valid JSON: ${describeJsonError(err)}`,
    };
    return;
  }
  yield* expand(value, l.line, l.text, false);
}

/** Everything before the first JSON object is held back so a non-JSON file fails as a whole. */
async function* guardFormat(
  records: AsyncIterable<JsonRecord>,
  expected: string,
): AsyncGenerator<JsonRecord> {
  const held: JsonRecord[] = [];
  let seenObject = false;
  for await (const rec of records) {
    if (seenObject) {
      yield rec;
      continue;
    }
    held.push(rec);
    if (rec.ok) {
      seenObject = true;
      yield* held;
      held.length = 0;
    } else if (held.length >= PROBE_RECORDS) {
      break;
    }
  }
  const first = held[0];
  if (!seenObject && first && !first.ok) {
    throw new UnreadableInputError(
      `not ${expected}: none of the first ${held.length} records is a JSON object (${first.reason})`,
    );
  }
}

async function* readRecords(input: AsyncIterable<Uint8Array>, expected: string): AsyncGenerator<JsonRecord> {
  let mode: "undecided" | "lines" | "document" = "undecided";
  const doc: TextLine[] = [];
  let docChars = 0;
  for await (const l of readTextLines(refuseBinary(input, expected))) {
    if (mode === "lines") {
      yield* parseLine(l);
      continue;
    }
    if (mode === "document") {
      doc.push(l);
      docChars += l.text.length + 1;
      if (l.overlong || docChars > MAX_DOCUMENT_CHARS) {
        throw new UnreadableInputError(
          `a JSON document over ${MAX_DOCUMENT_CHARS / 1024 / 1024} MB that is not one object per line cannot be read; convert it to NDJSON`,
        );
      }
      continue;
    }
    // The first line decides: valid JSON means one record per line (NDJSON);
    // an opening bracket that does not close on its line means one pretty-printed document.
    const head = l.text.trim();
    let parsed = false;
    if (!l.overlong) {
      try {
        JSON.parse(head);
        parsed = true;
      } catch {}
    }
    if (!parsed && (head.startsWith("[") || head.startsWith("{")) && !l.overlong) {
      mode = "document";
      doc.push(l);
      docChars = l.text.length;
    } else {
      mode = "lines";
      yield* parseLine(l);
    }
  }
  if (mode !== "document" || doc.length === 0) return;
  const text = doc.map((l) => l.text).join("\n");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Perhaps NDJSON whose first line is broken: judge each line on its own.
    for (const l of doc) yield* parseLine(l);
    return;
  }
  yield* expand(value, doc[0]?.line ?? 1, text, true);
}

/**
 * Records of a JSON input, streaming: NDJSON line by line (any line may also
 * hold an array or a `{"batch":[...]}`), or one JSON document (array, batch
 * wrapper or single object, read whole up to MAX_DOCUMENT_CHARS). Records from
 * a document's array carry their 0-based index as `line`; NDJSON records carry
 * their 1-based line. Throws UnreadableInputError for binary input or when no
 * JSON object appears among the first records.
 */
export function readJsonRecords(
  input: AsyncIterable<Uint8Array>,
  expected: string,
): AsyncIterable<JsonRecord> {
  return guardFormat(readRecords(input, expected), expected);
}
