import { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";

export type BodyResult =
  | { ok: true; value: unknown; bytes: number }
  | { ok: false; status: 400 | 413 | 415; error: string };

/**
 * Read a JSON request body of at most `maxBytes` (after decompression), gzip or
 * deflate when Content-Encoding says so. The limit is enforced while reading,
 * so an oversized or zip-bomb body is cut off without being buffered whole.
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  const encoding = (req.headers.get("content-encoding") ?? "identity").toLowerCase().trim();
  if (encoding === "identity" && declared > maxBytes) {
    return { ok: false, status: 413, error: `body is larger than ${Math.round(maxBytes / 1024)} KB` };
  }
  if (!req.body) return { ok: false, status: 400, error: "body is empty" };
  let stream: AsyncIterable<Uint8Array> = Readable.fromWeb(
    req.body as import("node:stream/web").ReadableStream,
  );
  if (encoding === "gzip" || encoding === "x-gzip") stream = (stream as Readable).pipe(createGunzip());
  else if (encoding === "deflate") stream = (stream as Readable).pipe(createInflate());
  else if (encoding !== "identity")
    return { ok: false, status: 415, error: `unsupported Content-Encoding "${encoding}"` };

  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > maxBytes) {
        (stream as Readable).destroy?.();
        return { ok: false, status: 413, error: `body is larger than ${Math.round(maxBytes / 1024)} KB` };
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch {
    return { ok: false, status: 400, error: `body could not be decompressed (${encoding})` };
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { ok: false, status: 400, error: "body is empty" };
  try {
    return { ok: true, value: JSON.parse(text), bytes: size };
  } catch (err) {
    return { ok: false, status: 400, error: `body is not valid JSON: ${(err as Error).message}` };
  }
}
