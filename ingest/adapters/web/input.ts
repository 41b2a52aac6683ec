import { decodeText } from "../read-text";
import { UnreadableInputError } from "../types";

const PEEK_BYTES = 4096;
/** Longest line kept in memory; longer ones are rejected without being buffered whole. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

function looksBinary(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  // UTF-16 text is full of NUL bytes: its BOM says so and decodeText handles it.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  let nul = 0;
  for (const b of head) if (b === 0) nul += 1;
  if (nul > head.length / 100) return true;
  const text = new TextDecoder("utf-8").decode(head);
  // A multi-byte character cut at the end of the peek decodes to one U+FFFD: allow a few.
  const bad = text.match(/\uFFFD/g)?.length ?? 0;
  return bad > 4 && bad > text.length / 20;
}

/**
 * Pass bytes through, but first look at the opening bytes: a file with NUL
 * bytes or invalid UTF-8 all over (a zip, an image, a gzip) is not text and is
 * refused as a whole instead of producing thousands of rejected lines.
 */
export async function* refuseBinary(
  input: AsyncIterable<Uint8Array>,
  expected: string,
): AsyncGenerator<Uint8Array> {
  let head = new Uint8Array(0);
  let checked = false;
  for await (const chunk of input) {
    if (checked) {
      yield chunk;
      continue;
    }
    const joined = new Uint8Array(head.length + chunk.length);
    joined.set(head);
    joined.set(chunk, head.length);
    head = joined;
    if (head.length < PEEK_BYTES) continue;
    checked = true;
    if (looksBinary(head.subarray(0, PEEK_BYTES))) {
      throw new UnreadableInputError(`this is a binary file, not ${expected}`);
    }
    yield head;
  }
  if (!checked && head.length > 0) {
    if (looksBinary(head)) throw new UnreadableInputError(`this is a binary file, not ${expected}`);
    yield head;
  }
}

export interface TextLine {
  line: number;
  text: string;
  /** Set when the line was longer than MAX_LINE_CHARS: `text` holds only its start. */
  overlong?: true;
}

/**
 * Non-empty lines with 1-based numbers (LF or CRLF). Memory stays bounded: a
 * line over MAX_LINE_CHARS is cut, flagged and its rest skipped.
 */
export async function* readTextLines(input: AsyncIterable<Uint8Array>): AsyncGenerator<TextLine> {
  let buffer = "";
  let line = 1;
  let skipping = false;
  for await (const text of decodeText(input)) {
    buffer += text;
    let start = 0;
    let idx = buffer.indexOf("\n", start);
    while (idx >= 0) {
      const raw = buffer.slice(start, idx).replace(/\r$/, "");
      if (skipping) skipping = false;
      else if (raw.trim() !== "") yield { line, text: raw };
      line += 1;
      start = idx + 1;
      idx = buffer.indexOf("\n", start);
    }
    buffer = buffer.slice(start);
    if (buffer.length > MAX_LINE_CHARS) {
      if (!skipping) yield { line, text: buffer.slice(0, 2000), overlong: true };
      skipping = true;
      buffer = "";
    }
  }
  if (!skipping && buffer.trim() !== "") yield { line, text: buffer.replace(/\r$/, "") };
}
