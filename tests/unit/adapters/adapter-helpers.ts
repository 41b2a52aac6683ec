import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bytesOf } from "../../../ingest/adapters/read-text";
import type { Adapter, AdapterContext } from "../../../ingest/adapters/types";
import type { IngestItem, NormalizedMention, NormalizedSurveyResponse } from "../../../ingest/normalized";
import { ROOT } from "../../helpers/cli";

export const REALDATA = join(ROOT, "..", "shared", "realdata");
export const hasRealData = (sub: string): boolean => existsSync(join(REALDATA, sub));
export const realFile = (path: string): Uint8Array => new Uint8Array(readFileSync(join(REALDATA, path)));

/** A context with a far-future clock so sample dates are never "in the future". */
export function makeCtx(options: Record<string, string> = {}, timezone = "UTC") {
  const notes: Record<string, unknown> = {};
  const ctx: AdapterContext = {
    fileName: "test-input",
    timezone,
    now: new Date("2100-01-01T00:00:00Z"),
    options,
    note: (k, v) => {
      notes[k] = v;
    },
  };
  return { ctx, notes };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Parse a string or bytes with an adapter and split the result into records and rejects. */
export async function run(
  adapter: Adapter,
  data: string | Uint8Array,
  options: Record<string, string> = {},
  timezone = "UTC",
) {
  const { ctx, notes } = makeCtx(options, timezone);
  const items = await collect(adapter.parse(bytesOf(data), ctx));
  const surveys = items.flatMap((i) => (i.kind === "survey" ? [i.value] : [])) as NormalizedSurveyResponse[];
  const mentions = items.flatMap((i) => (i.kind === "mention" ? [i.value] : [])) as NormalizedMention[];
  const rejects = items.flatMap((i) => (i.kind === "reject" ? [i.value] : []));
  return { items, surveys, mentions, rejects, notes };
}

export type { IngestItem };
