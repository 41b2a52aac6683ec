import type { Db } from "../../db/client";
import type { IngestItem, Rejection } from "../normalized";
import {
  type RunCounts,
  recordRejections,
  writeDailyStats,
  writeEvents,
  writeMentions,
  writeSurveyResponses,
} from "../pipeline";
import {
  stripNul,
  validateDailyStat,
  validateEvent,
  validateMention,
  validateSurveyResponse,
} from "../validate";

export interface PageTarget {
  productId: number;
  runId: number;
  /** Adapter name, stored on every row as its source (the dedupe key is per source). */
  format: string;
  /** 1-based page of this run, prefixed to every rejection reason. */
  page: number;
}

/**
 * Validate and store one fetched page, as the pipeline does for a file:
 * duplicates are skipped by their natural keys and every rejected item is
 * kept with its index on the page and its reason. Call it inside the
 * transaction that also advances the source's cursor.
 */
export async function writePage(
  db: Db,
  target: PageTarget,
  items: IngestItem[],
  now: Date,
): Promise<RunCounts> {
  const events = [];
  const surveys = [];
  const mentions = [];
  const stats = [];
  const rejects: Rejection[] = [];
  const reject = (line: number | null | undefined, raw: string | undefined, reason: string) =>
    rejects.push({ line: line ?? null, raw, reason });
  for (const item of items) {
    if (item.kind === "reject") {
      reject(item.value.line, item.value.raw, item.value.reason);
      continue;
    }
    const value = stripNul(item.value);
    if (item.kind === "mention") {
      const why = validateMention(item.value, now);
      if (why) reject(item.line, JSON.stringify(item.value), why);
      else mentions.push(value as typeof item.value);
    } else if (item.kind === "survey") {
      const why = validateSurveyResponse(item.value, now);
      if (why) reject(item.line, JSON.stringify(item.value), why);
      else surveys.push(value as typeof item.value);
    } else if (item.kind === "event") {
      const why = validateEvent(item.value, now);
      if (why) reject(item.line, JSON.stringify(item.value), why);
      else events.push(value as typeof item.value);
    } else {
      const why = validateDailyStat(item.value);
      if (why) reject(item.line, JSON.stringify(item.value), why);
      else stats.push(value as typeof item.value);
    }
  }
  const { productId, runId, format } = target;
  const written = [
    await writeMentions(db, productId, runId, format, mentions),
    await writeSurveyResponses(db, productId, runId, format, surveys),
    await writeEvents(db, productId, runId, format, events),
    await writeDailyStats(db, productId, runId, format, stats),
  ];
  await recordRejections(
    db,
    productId,
    runId,
    rejects.map((r) => ({ ...r, reason: `page ${target.page}: ${r.reason}` })),
  );
  return {
    read: items.length,
    inserted: written.reduce((n, w) => n + w.inserted, 0),
    duplicates: written.reduce((n, w) => n + w.duplicates, 0),
    rejected: rejects.length,
  };
}
