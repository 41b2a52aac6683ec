import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { importRuns } from "../db/schema/ingest";
import { decodeText } from "./adapters/read-text";
import { findAdapter, sniffFormat } from "./adapters/registry";
import { type Adapter, type AdapterContext, UnreadableInputError } from "./adapters/types";
import { linkRespondents } from "./link-respondents";
import { type RunCounts, runIngest } from "./pipeline";

export interface ImportParams {
  productId: number;
  /** Product zone: for sources whose timestamps have no offset. */
  timezone: string;
  /** Adapter name, or "auto" to sniff it from the file. */
  format: string;
  fileName: string;
  /** Opens the input from the start; called twice with "auto" (sample, then the import). */
  open: () => AsyncIterable<Uint8Array>;
  /** --map and --kind / --timezone values, as the adapter context expects them. */
  options?: Record<string, string>;
  now?: Date;
  onProgress?: (counts: RunCounts) => void;
  onStart?: (runId: number) => void;
}

export interface ImportResult extends RunCounts {
  runId: number;
  format: string;
  /** Set when the format was sniffed: how sure the adapter was. */
  detected?: { confidence: number };
  summary: Record<string, unknown>;
}

const SAMPLE_BYTES = 64 * 1024;

/** The first bytes of an input, decoded (BOM-aware), for sniffing and the binary check. */
async function readSample(input: AsyncIterable<Uint8Array>): Promise<{ text: string; bytes: Uint8Array }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of input) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= SAMPLE_BYTES) break;
  }
  const bytes = new Uint8Array(Math.min(size, SAMPLE_BYTES));
  let offset = 0;
  for (const c of chunks) {
    const part = c.subarray(0, Math.min(c.length, bytes.length - offset));
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  let text = "";
  for await (const t of decodeText(
    (async function* () {
      yield bytes;
    })(),
  ))
    text += t;
  return { text, bytes };
}

/**
 * True when a sample is not text: many NUL or other control bytes. A stray NUL
 * (SurveyMonkey puts one in empty cells) is not enough; UTF-16 is decoded first.
 */
export function looksBinary(text: string): boolean {
  if (text.length === 0) return false;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 9 || (c > 13 && c < 32)) && c !== 27) control++;
    if (c === 0xfffd) control++;
  }
  return control / text.length > 0.05;
}

function chooseAdapter(
  format: string,
  sample: string,
  fileName: string,
): { adapter: Adapter; confidence?: number } {
  if (format !== "auto") {
    const adapter = findAdapter(format);
    if (!adapter) throw new UnreadableInputError(`unknown format "${format}"`);
    return { adapter };
  }
  const found = sniffFormat(sample, fileName);
  if (!found) throw new UnreadableInputError("could not tell the format from the file; pass --format <name>");
  return found;
}

/**
 * Import one file through an adapter and the pipeline, as one recorded run.
 * Throws UnreadableInputError (message without the file name) when the file is
 * empty, binary or not in the format; nothing is written then.
 */
export async function importFile(db: Db, params: ImportParams): Promise<ImportResult> {
  const sample = await readSample(params.open());
  if (sample.bytes.length === 0) throw new UnreadableInputError("the file is empty");
  if (looksBinary(sample.text)) throw new UnreadableInputError("the file is binary, not a text export");
  const { adapter, confidence } = chooseAdapter(params.format, sample.text, params.fileName);

  const summary: Record<string, unknown> = {};
  if (confidence !== undefined) summary.detected_format = { format: adapter.name, confidence };
  const ctx: AdapterContext = {
    fileName: params.fileName,
    timezone: params.options?.timezone ?? params.timezone,
    now: params.now ?? new Date(),
    options: params.options ?? {},
    note: (key, value) => {
      summary[key] = value;
    },
  };
  const result = await runIngest(
    db,
    { productId: params.productId, kind: "import", format: adapter.name, fileName: params.fileName },
    adapter.parse(params.open(), ctx),
    { now: ctx.now, onProgress: params.onProgress, onStart: params.onStart, summary: () => summary },
  );
  if (adapter.kind === "survey" && result.inserted > 0) {
    summary.respondents_linked = await linkRespondents(db, {
      productId: params.productId,
      runId: result.runId,
    });
    await db.update(importRuns).set({ summary }).where(eq(importRuns.id, result.runId));
  }
  return {
    runId: result.runId,
    format: adapter.name,
    read: result.read,
    inserted: result.inserted,
    duplicates: result.duplicates,
    rejected: result.rejected,
    ...(confidence !== undefined ? { detected: { confidence } } : {}),
    summary,
  };
}
