import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { describeDatabaseError, isUnavailableError } from "../db/errors";
import { queryRows } from "../db/rows";
import { importedDailyStats } from "../db/schema/events";
import { mentions, surveyResponses } from "../db/schema/feedback";
import { importRuns, rejectedRows } from "../db/schema/ingest";
import { compactSessionPieces, ROLLUP_CTES_FROM_INS } from "../lib/queries/rollups";
import { type EnrichmentConfig, enrichText, loadEnrichmentConfig, mentionText } from "./enrich";
import type {
  IngestItem,
  NormalizedDailyStat,
  NormalizedEvent,
  NormalizedMention,
  NormalizedSurveyResponse,
  Rejection,
} from "./normalized";
import {
  stripNul,
  validateDailyStat,
  validateEvent,
  validateMention,
  validateSurveyResponse,
} from "./validate";

export interface RunInfo {
  productId: number;
  kind: "import" | "sync" | "api" | "demo";
  /** Adapter name, stored on every row as its source. */
  format: string;
  fileName?: string | null;
  sourceId?: number | null;
}

export interface RunCounts {
  read: number;
  inserted: number;
  duplicates: number;
  rejected: number;
}

export interface RunResult extends RunCounts {
  runId: number;
  status: "succeeded" | "failed";
}

export interface WriteResult {
  inserted: number;
  duplicates: number;
}

const EVENT_BATCH = 1000;
/**
 * Items per transaction of a run, and the time after which a chunk ends
 * early. Bigger chunks roll up more events per statement; a chunk also holds
 * the embedded database's single session while it runs, which the app's
 * other requests wait for, so it is kept to about a second.
 */
const CHUNK_ITEMS = 20_000;
const CHUNK_MS = 1000;
const NO_ENRICHMENT: EnrichmentConfig = { themes: [], features: [] };
const RAW_LIMIT = 2000;

export async function startRun(db: Db, info: RunInfo): Promise<number> {
  const [row] = await db
    .insert(importRuns)
    .values({
      productId: info.productId,
      kind: info.kind,
      format: info.format,
      fileName: info.fileName ?? null,
      sourceId: info.sourceId ?? null,
    })
    .returning({ id: importRuns.id });
  if (!row) throw new Error("could not record the import run");
  return row.id;
}

export async function finishRun(
  db: Db,
  runId: number,
  counts: RunCounts,
  status: "succeeded" | "failed",
  error?: string,
  summary?: Record<string, unknown>,
): Promise<void> {
  await db
    .update(importRuns)
    .set({ ...counts, status, error: error ?? null, finishedAt: new Date(), ...(summary ? { summary } : {}) })
    .where(eq(importRuns.id, runId));
}

/** A PostgreSQL array literal of text values (NULL for null), to pass a column as one parameter. */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string | null;
    if (i > 0) out += ",";
    if (v === null) out += "NULL";
    else if (v.includes('"') || v.includes("\\")) out += `"${v.replace(/[\\"]/g, "\\$&")}"`;
    else out += `"${v}"`;
  }
  return `${out}}`;
}

/** Text columns of `events` a batch fills, in insert order (all but message id, time, properties). */
const TEXT_COLUMNS = [
  "event",
  "type",
  "user_id",
  "anonymous_id",
  "session_id",
  "url",
  "path",
  "referrer",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "country",
  "device",
  "browser",
  "os",
] as const;

/**
 * The batch as one array parameter per column, unnested in the statement:
 * PostgreSQL parses array literals about twice as fast as the same rows as
 * one JSON document (jsonb_to_recordset), and it is a handful of parameters
 * whatever the batch size.
 */
function eventColumns(batch: NormalizedEvent[]): SQL {
  const text = (pick: (e: NormalizedEvent) => string | null | undefined) =>
    sql`${textArrayLiteral(batch.map((e) => pick(e) ?? null))}::text[]`;
  const byColumn: Record<(typeof TEXT_COLUMNS)[number], SQL> = {
    event: text((e) => e.event),
    type: text((e) => e.type),
    user_id: text((e) => e.userId),
    anonymous_id: text((e) => e.anonymousId),
    session_id: text((e) => e.sessionId),
    url: text((e) => e.url),
    path: text((e) => e.path),
    referrer: text((e) => e.referrer),
    utm_source: text((e) => e.utmSource),
    utm_medium: text((e) => e.utmMedium),
    utm_campaign: text((e) => e.utmCampaign),
    utm_term: text((e) => e.utmTerm),
    utm_content: text((e) => e.utmContent),
    country: text((e) => e.country),
    device: text((e) => e.device),
    browser: text((e) => e.browser),
    os: text((e) => e.os),
  };
  return sql.join(
    [
      text((e) => e.messageId),
      sql`${textArrayLiteral(batch.map((e) => e.timestamp.toISOString()))}::timestamptz[]`,
      ...TEXT_COLUMNS.map((c) => byColumn[c]),
      sql`${textArrayLiteral(batch.map((e) => JSON.stringify(e.properties ?? {})))}::jsonb[]`,
    ],
    sql`, `,
  );
}

/** The anonymous id to user id links of a batch; the first link of an id wins, as in Segment and PostHog person merging. */
function identityLinks(batch: NormalizedEvent[]): string {
  const seen = new Map<string, { anonymous_id: string; user_id: string; linked_at: string }>();
  for (const e of batch) {
    if (e.userId && e.anonymousId && !seen.has(e.anonymousId)) {
      seen.set(e.anonymousId, {
        anonymous_id: e.anonymousId,
        user_id: e.userId,
        linked_at: e.timestamp.toISOString(),
      });
    }
  }
  return JSON.stringify([...seen.values()]);
}

/**
 * The CTEs `ins` (insert the batch, duplicates skipped, returning the rows
 * inserted) and `linked` (identity links) of a write statement. Rows are taken
 * in key order so concurrent batches lock in the same order.
 */
function insertEventsCtes(
  productId: number,
  runId: number | null,
  source: string,
  batch: NormalizedEvent[],
): SQL {
  return sql`ins as (
      insert into events (product_id, message_id, timestamp, event, type, user_id, anonymous_id,
        session_id, url, path, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
        country, device, browser, os, properties, source, run_id)
      select ${productId}, x.message_id, x.timestamp, x.event, x.type, x.user_id, x.anonymous_id,
        x.session_id, x.url, x.path, x.referrer, x.utm_source, x.utm_medium, x.utm_campaign, x.utm_term,
        x.utm_content, x.country, x.device, x.browser, x.os, x.properties, ${source}, ${runId}::int
      from unnest(${eventColumns(batch)}) as x(message_id, timestamp,
        ${sql.raw(TEXT_COLUMNS.join(", "))}, properties)
      order by x.message_id
      on conflict (product_id, message_id) do nothing
      returning id, product_id, timestamp, event, type, user_id, anonymous_id
    ),
    linked as (
      insert into identities (product_id, anonymous_id, user_id, linked_at)
      select ${productId}, l.anonymous_id, l.user_id, l.linked_at
      from jsonb_to_recordset(${identityLinks(batch)}::jsonb) as l(anonymous_id text, user_id text, linked_at timestamptz)
      order by l.anonymous_id
      on conflict (product_id, anonymous_id) do nothing
    )`;
}

/**
 * Store events once per (product, message id); identify events also link
 * anonymous id to user id. One statement, so it is atomic without an explicit
 * transaction: events (duplicates skipped), identity links, and the rollups of
 * exactly the rows inserted (RETURNING), bucketed by the product's local day.
 * Used where each batch must be visible in every metric as soon as it is
 * acknowledged (the HTTP API, syncs); file imports use `insertEvents` and roll
 * up per chunk in one transaction.
 */
export async function writeEvents(
  db: Db,
  productId: number,
  runId: number | null,
  source: string,
  batch: NormalizedEvent[],
): Promise<WriteResult> {
  if (batch.length === 0) return { inserted: 0, duplicates: 0 };
  const [written] = await queryRows<{ n: number }>(
    db,
    sql`with ${insertEventsCtes(productId, runId, source, batch)},
        ${ROLLUP_CTES_FROM_INS}
        select count(*)::int as n from ins`,
  );
  const inserted = Number(written?.n ?? 0);
  return { inserted, duplicates: batch.length - inserted };
}

/** Ids of the events a chunk inserted, for rolling them up together. */
export interface IdRange {
  lo: number;
  hi: number;
}

/**
 * Store events like `writeEvents` but without their rollups: the caller must
 * call `rollUpEvents` for the returned id range in the same transaction, so
 * the rollups never miss or double-count an event.
 */
export async function insertEvents(
  db: Db,
  productId: number,
  runId: number,
  source: string,
  batch: NormalizedEvent[],
): Promise<WriteResult & { range: IdRange | null }> {
  if (batch.length === 0) return { inserted: 0, duplicates: 0, range: null };
  const [written] = await queryRows<{ n: number; lo: string | number | null; hi: string | number | null }>(
    db,
    sql`with ${insertEventsCtes(productId, runId, source, batch)}
        select count(*)::int as n, min(id) as lo, max(id) as hi from ins`,
  );
  const inserted = Number(written?.n ?? 0);
  const range = inserted > 0 ? { lo: Number(written?.lo), hi: Number(written?.hi) } : null;
  return { inserted, duplicates: batch.length - inserted, range };
}

/**
 * Roll up the events that run `runId` inserted with ids in `range` (ids come
 * from one sequence, so another writer's rows in the range are told apart by
 * their run). Set-based over the whole chunk: far fewer rollup rows to upsert
 * than batch by batch.
 */
export async function rollUpEvents(db: Db, productId: number, runId: number, range: IdRange): Promise<void> {
  await queryRows(
    db,
    sql`with ins as (
          select product_id, timestamp, event, type, user_id, anonymous_id from events
          where id between ${range.lo} and ${range.hi} and run_id = ${runId} and product_id = ${productId}
        ),
        ${ROLLUP_CTES_FROM_INS}
        select 1 as done`,
  );
}

export async function writeSurveyResponses(
  db: Db,
  productId: number,
  runId: number | null,
  source: string,
  batch: NormalizedSurveyResponse[],
  config: EnrichmentConfig = NO_ENRICHMENT,
): Promise<WriteResult> {
  if (batch.length === 0) return { inserted: 0, duplicates: 0 };
  const inserted = await db
    .insert(surveyResponses)
    .values(
      batch.map((r) => ({
        ...enrichText(r.comment, config),
        productId,
        source,
        externalId: r.externalId,
        survey: r.survey ?? null,
        question: r.question ?? null,
        questionKind: r.questionKind,
        score: r.score ?? null,
        scaleMin: r.scaleMin ?? null,
        scaleMax: r.scaleMax ?? null,
        comment: r.comment ?? null,
        respondent: r.respondent ?? null,
        userId: r.userId ?? null,
        submittedAt: r.submittedAt,
        metadata: r.metadata ?? {},
        runId,
      })),
    )
    .onConflictDoNothing({
      target: [surveyResponses.productId, surveyResponses.source, surveyResponses.externalId],
    })
    .returning({ id: surveyResponses.id });
  return { inserted: inserted.length, duplicates: batch.length - inserted.length };
}

export async function writeMentions(
  db: Db,
  productId: number,
  runId: number | null,
  source: string,
  batch: NormalizedMention[],
  config: EnrichmentConfig = NO_ENRICHMENT,
): Promise<WriteResult> {
  if (batch.length === 0) return { inserted: 0, duplicates: 0 };
  const inserted = await db
    .insert(mentions)
    .values(
      batch.map((m) => ({
        ...enrichText(mentionText(m), config),
        productId,
        source,
        externalId: m.externalId,
        url: m.url ?? null,
        author: m.author ?? null,
        title: m.title ?? null,
        body: m.body ?? null,
        createdAt: m.createdAt,
        engagement: Math.round(m.engagement ?? 0),
        rating: m.rating ?? null,
        metadata: m.metadata ?? {},
        runId,
      })),
    )
    .onConflictDoNothing({ target: [mentions.productId, mentions.source, mentions.externalId] })
    .returning({ id: mentions.id });
  return { inserted: inserted.length, duplicates: batch.length - inserted.length };
}

/** Imported daily totals, once per (product, source, table, date, dimension values). */
export async function writeDailyStats(
  db: Db,
  productId: number,
  runId: number | null,
  source: string,
  batch: NormalizedDailyStat[],
): Promise<WriteResult> {
  if (batch.length === 0) return { inserted: 0, duplicates: 0 };
  const inserted = await db
    .insert(importedDailyStats)
    .values(
      batch.map((d) => ({
        productId,
        source,
        table: d.table,
        date: d.date,
        dimensionKey: JSON.stringify(Object.entries(d.dimensions).sort(([a], [b]) => a.localeCompare(b))),
        dimensions: d.dimensions,
        metrics: d.metrics,
        runId,
      })),
    )
    .onConflictDoNothing({
      target: [
        importedDailyStats.productId,
        importedDailyStats.source,
        importedDailyStats.table,
        importedDailyStats.date,
        importedDailyStats.dimensionKey,
      ],
    })
    .returning({ id: importedDailyStats.id });
  return { inserted: inserted.length, duplicates: batch.length - inserted.length };
}

export async function recordRejections(
  db: Db,
  productId: number,
  runId: number,
  rejections: Rejection[],
): Promise<void> {
  if (rejections.length === 0) return;
  await db.insert(rejectedRows).values(
    rejections.map((r) => ({
      runId,
      productId,
      line: r.line,
      raw: r.raw == null ? null : stripNul(r.raw).slice(0, RAW_LIMIT),
      reason: stripNul(r.reason),
    })),
  );
}

/**
 * The one path every source takes into the database: validate each item,
 * write in batches (duplicates skipped by their natural keys), keep every
 * rejected row with its reason, and record the run with its counts.
 *
 * Items are written in chunks, each one transaction: its batches of events,
 * responses, mentions, daily totals and rejected rows, then the rollups of
 * all the chunk's events at once. A chunk is all or nothing, so the rollups
 * never miss or double-count an event. If the database fails midway the run
 * is marked failed with the counts of the chunks committed; running the same
 * input again completes it without duplicates.
 */
export async function runIngest(
  db: Db,
  info: RunInfo,
  items: AsyncIterable<IngestItem> | Iterable<IngestItem>,
  options: {
    now?: Date;
    onProgress?: (counts: RunCounts) => void;
    /** Called at the end: what the adapter noted (detections, skipped kinds), stored on the run. */
    summary?: () => Record<string, unknown>;
    /** Called with the run id as soon as the run is recorded. */
    onStart?: (runId: number) => void;
    /** Items per transaction (default CHUNK_ITEMS). */
    chunkItems?: number;
  } = {},
): Promise<RunResult> {
  const now = options.now ?? new Date();
  const chunkItems = Math.max(1, options.chunkItems ?? CHUNK_ITEMS);
  const runId = await startRun(db, info);
  options.onStart?.(runId);
  const counts: RunCounts = { read: 0, inserted: 0, duplicates: 0, rejected: 0 };
  let committed: RunCounts = { ...counts };
  let eventsInserted = 0;
  let enrichment: EnrichmentConfig | undefined;
  const iterator =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<IngestItem>)[Symbol.asyncIterator]()
      : (items as Iterable<IngestItem>)[Symbol.iterator]();

  /** Read, validate and write up to `chunkItems` items in transaction `t`; false at the end of the input. */
  const writeChunk = async (t: Db): Promise<boolean> => {
    let eventBatch: NormalizedEvent[] = [];
    let surveyBatch: NormalizedSurveyResponse[] = [];
    let mentionBatch: NormalizedMention[] = [];
    let statBatch: NormalizedDailyStat[] = [];
    let rejectBatch: Rejection[] = [];
    let range: IdRange | null = null;
    const add = (r: WriteResult) => {
      counts.inserted += r.inserted;
      counts.duplicates += r.duplicates;
    };
    const write = async (batches: {
      events: NormalizedEvent[];
      surveys: NormalizedSurveyResponse[];
      mentions: NormalizedMention[];
      stats: NormalizedDailyStat[];
      rejects: Rejection[];
    }) => {
      const written = await insertEvents(t, info.productId, runId, info.format, batches.events);
      if (written.range) {
        range = range
          ? { lo: Math.min(range.lo, written.range.lo), hi: Math.max(range.hi, written.range.hi) }
          : written.range;
      }
      eventsInserted += written.inserted;
      add(written);
      if (batches.surveys.length + batches.mentions.length > 0) {
        // Comments and mentions are scored and tagged as they arrive, with the product's current keywords.
        enrichment ??= await loadEnrichmentConfig(t, info.productId);
        add(await writeSurveyResponses(t, info.productId, runId, info.format, batches.surveys, enrichment));
        add(await writeMentions(t, info.productId, runId, info.format, batches.mentions, enrichment));
      }
      add(await writeDailyStats(t, info.productId, runId, info.format, batches.stats));
      await recordRejections(t, info.productId, runId, batches.rejects);
      options.onProgress?.({ ...counts });
    };
    // One batch is written while the next is read and validated, so parsing
    // and the database overlap; waiting for the previous write first bounds
    // the memory to two batches.
    let inflight: Promise<void> = Promise.resolve();
    const flush = async () => {
      await inflight;
      const batches = {
        events: eventBatch,
        surveys: surveyBatch,
        mentions: mentionBatch,
        stats: statBatch,
        rejects: rejectBatch,
      };
      eventBatch = [];
      surveyBatch = [];
      mentionBatch = [];
      statBatch = [];
      rejectBatch = [];
      inflight = write(batches);
      // Awaited at the next flush or the end of the chunk; handled here so that
      // a failure while the next batch is read is not an unhandled rejection.
      inflight.catch(() => undefined);
    };
    const reject = (line: number | null | undefined, value: unknown, reason: string) => {
      counts.rejected += 1;
      rejectBatch.push({ line: line ?? null, raw: JSON.stringify(value), reason });
    };
    let more = true;
    const started = performance.now();
    for (let n = 0; n < chunkItems; n++) {
      if (n % 500 === 499 && performance.now() - started > CHUNK_MS) break;
      const next = await iterator.next();
      if (next.done) {
        more = false;
        break;
      }
      const item = next.value;
      counts.read += 1;
      if (item.kind === "reject") {
        counts.rejected += 1;
        rejectBatch.push(item.value);
      } else if (item.kind === "event") {
        const value = stripNul(item.value);
        const why = validateEvent(value, now);
        if (why) reject(item.line, item.value, why);
        else eventBatch.push(value);
      } else if (item.kind === "survey") {
        const value = stripNul(item.value);
        const why = validateSurveyResponse(value, now);
        if (why) reject(item.line, item.value, why);
        else surveyBatch.push(value);
      } else if (item.kind === "mention") {
        const value = stripNul(item.value);
        const why = validateMention(value, now);
        if (why) reject(item.line, item.value, why);
        else mentionBatch.push(value);
      } else {
        const value = stripNul(item.value);
        const why = validateDailyStat(value);
        if (why) reject(item.line, item.value, why);
        else statBatch.push(value);
      }
      const pending = eventBatch.length + surveyBatch.length + mentionBatch.length + statBatch.length;
      if (pending + rejectBatch.length >= EVENT_BATCH) await flush();
    }
    await flush();
    await inflight;
    if (range) await rollUpEvents(t, info.productId, runId, range);
    return more;
  };

  try {
    for (let more = true; more; ) {
      more = await db.transaction((tx) => writeChunk(tx as unknown as Db));
      committed = { ...counts };
    }
  } catch (err) {
    // The failed chunk was rolled back: report what the committed chunks hold.
    await (iterator as { return?: () => unknown }).return?.();
    await markRunFailed(db, runId, committed, err, options.summary?.());
    throw err;
  }
  if (eventsInserted > 0) {
    // Only keeps session_pieces small; the numbers are exact without it, so a
    // failure here (the next run or the server's timer compacts) is not the run's.
    await compactSessionPieces(db, info.productId).catch(() => undefined);
  }
  await finishRun(db, runId, counts, "succeeded", undefined, options.summary?.());
  return { runId, status: "succeeded", ...counts };
}

/**
 * Record a failed run with the counts committed so far. When the failure is the
 * database going away, keep trying for a while so that the run is not left
 * "running" after a short outage.
 */
async function markRunFailed(
  db: Db,
  runId: number,
  counts: RunCounts,
  err: unknown,
  summary?: Record<string, unknown>,
): Promise<void> {
  const message = describeDatabaseError(err);
  const deadline = Date.now() + (isUnavailableError(err) ? 15_000 : 0);
  for (;;) {
    try {
      // A batch may have committed on the server while its reply was lost with
      // the connection: count what the run really stored rather than what was acknowledged.
      const inserted = await countRunRows(db, runId);
      await finishRun(db, runId, { ...counts, inserted }, "failed", message, summary);
      return;
    } catch {
      if (Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Rows a run stored, in every table the pipeline writes. */
async function countRunRows(db: Db, runId: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select (select count(*) from events where run_id = ${runId})
             + (select count(*) from survey_responses where run_id = ${runId})
             + (select count(*) from mentions where run_id = ${runId})
             + (select count(*) from imported_daily_stats where run_id = ${runId}) as n`,
  );
  return Number(row?.n ?? 0);
}

/** Used by tests and the CLI to show a run. */
export async function getRun(db: Db, productId: number, runId: number) {
  const [run] = await db
    .select()
    .from(importRuns)
    .where(sql`${importRuns.id} = ${runId} and ${importRuns.productId} = ${productId}`);
  return run ?? null;
}
