import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Adapter, AdapterContext } from "../../../ingest/adapters/types";
import type { IngestItem, NormalizedEvent, Rejection } from "../../../ingest/normalized";
import { ROOT } from "../../helpers/cli";

/** The shared real samples (README.md there says where each came from). */
export const REAL = join(ROOT, "..", "shared", "realdata");
/** A "now" far enough ahead that validateEvent's future check never interferes. */
export const FAR_FUTURE = new Date("2100-01-01T00:00:00Z");

export function realDir(sub: string): { dir: string; present: boolean; title: string } {
  const dir = join(REAL, sub);
  const present = existsSync(dir);
  return { dir, present, title: present ? `real files in ${dir}` : `SKIPPED: ${dir} is missing` };
}

export function makeCtx(
  fileName = "input",
  options: Record<string, string> = {},
  timezone = "UTC",
): AdapterContext {
  return { fileName, timezone, now: FAR_FUTURE, options, note: () => {} };
}

/** Bytes in small chunks, so multi-byte characters and lines straddle chunk boundaries. */
export async function* chunksOf(data: string | Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function collect(
  adapter: Adapter,
  data: string | Uint8Array,
  ctx: AdapterContext = makeCtx(),
  chunk = 7,
): Promise<IngestItem[]> {
  const out: IngestItem[] = [];
  for await (const item of adapter.parse(chunksOf(data, chunk), ctx)) out.push(item);
  return out;
}

export function collectFile(adapter: Adapter, path: string, options: Record<string, string> = {}) {
  return collect(adapter, readFileSync(path), makeCtx(basename(path), options), 4096);
}

export function eventsOf(items: IngestItem[]): NormalizedEvent[] {
  return items.flatMap((i) => (i.kind === "event" ? [i.value] : []));
}

export function rejectsOf(items: IngestItem[]): Rejection[] {
  return items.flatMap((i) => (i.kind === "reject" ? [i.value] : []));
}

/** The error an async thunk rejects with (or a failure when it resolves). */
export async function errorOf(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}
