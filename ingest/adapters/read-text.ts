/**
 * Decode a byte stream to text chunks: UTF-8 by default, UTF-16 LE/BE when the
 * input starts with that BOM (Google Play exports are UTF-16). The BOM is dropped.
 */
export async function* decodeText(input: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let head = new Uint8Array(0);
  for await (const chunk of input) {
    if (!decoder) {
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      if (joined.length < 3) {
        head = joined;
        continue;
      }
      let encoding = "utf-8";
      let skip = 0;
      if (joined[0] === 0xff && joined[1] === 0xfe) [encoding, skip] = ["utf-16le", 2];
      else if (joined[0] === 0xfe && joined[1] === 0xff) [encoding, skip] = ["utf-16be", 2];
      else if (joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf) skip = 3;
      decoder = new TextDecoder(encoding);
      const text = decoder.decode(joined.subarray(skip), { stream: true });
      if (text) yield text;
      continue;
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  if (!decoder && head.length > 0) {
    yield new TextDecoder("utf-8").decode(head);
    return;
  }
  const rest = decoder?.decode() ?? "";
  if (rest) yield rest;
}

/** Lines of a text stream with 1-based line numbers; handles LF and CRLF, keeps empty lines out. */
export async function* readLines(
  input: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ line: number; text: string }> {
  let buffer = "";
  let line = 0;
  for await (const text of decodeText(input)) {
    buffer += text;
    let idx = buffer.indexOf("\n");
    while (idx >= 0) {
      line += 1;
      const raw = buffer.slice(0, idx).replace(/\r$/, "");
      buffer = buffer.slice(idx + 1);
      if (raw.trim() !== "") yield { line, text: raw };
      idx = buffer.indexOf("\n");
    }
  }
  if (buffer.trim() !== "") yield { line: line + 1, text: buffer.replace(/\r$/, "") };
}

/** Collect a whole (small) input as text: for JSON documents that are not line-delimited. */
export async function readAllText(input: AsyncIterable<Uint8Array>): Promise<string> {
  let out = "";
  for await (const text of decodeText(input)) out += text;
  return out;
}

/** An in-memory input, for tests and the HTTP upload path. */
export async function* bytesOf(data: string | Uint8Array): AsyncGenerator<Uint8Array> {
  yield typeof data === "string" ? new TextEncoder().encode(data) : data;
}
