import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { describeDatabaseError, isUnavailableError } from "../db/errors";
import { queryRows } from "../db/rows";
import { importedDailyStats } from "../db/schema/events";
import { mentions, surveyResponses } from "../db/schema/feedback";
import { importRuns, rejectedRows } from "../db/schema/ingest";
import {
  analyzeRollups,
  applyPendingLinks,
  compactSessionPieces,
  ROLLUP_CTES_FROM_INS,
} from "../lib/queries/rollups";
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

/**
 * Events per statement (each statement also writes their rollups, so it is
 * atomic on its own), and responses, mentions, daily totals and rejected rows
 * per flush (drizzle binds one parameter per value, at most 65,535 per
 * statement). Bigger event batches roll up more events per upsert; a
 * statement also holds the embedded database's single session while it runs.
 */
const EVENT_BATCH = 2000;
const OTHER_BATCH = 1000;
const NO_ENRICHMENT: EnrichmentConfig = { themes: [], features: [] };
const RAW_LIMIT = 2000;
/** Batches of one run being written at once (see runIngest). */
const WRITES_IN_FLIGHT = 2;

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

/**
 * The anonymous id to user id links of a batch; the first link of an id wins,
 * as in Segment and PostHog person merging. `skip`: anonymous ids an earlier
 * batch still being written links (its link comes first, so these are no-ops).
 */
function identityLinks(batch: NormalizedEvent[], skip?: ReadonlySet<string>): string {
  const seen = new Map<string, { anonymous_id: string; user_id: string; linked_at: string }>();
  for (const e of batch) {
    if (e.userId && e.anonymousId && !seen.has(e.anonymousId) && !skip?.has(e.anonymousId)) {
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
  skipLinks?: ReadonlySet<string>,
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
      from jsonb_to_recordset(${identityLinks(batch, skipLinks)}::jsonb) as l(anonymous_id text, user_id text, linked_at timestamptz)
      order by l.anonymous_id
      on conflict (product_id, anonymous_id) do nothing
      returning anonymous_id, user_id
    )`;
}

/**
 * Store events once per (product, message id); identify events also link
 * anonymous id to user id. One statement, so it is atomic without an explicit
 * transaction: events (duplicates skipped), identity links, and the rollups of
 * exactly the rows inserted (RETURNING), bucketed by the product's local day.
 * Every path writes events through it (pushes, syncs, imports), so whatever
 * is acknowledged or counted is in every metric at once. `skipLinks`: see
 * identityLinks.
 */
export async function writeEvents(
  db: Db,
  productId: number,
  runId: number | null,
  source: string,
  batch: NormalizedEvent[],
  skipLinks?: ReadonlySet<string>,
): Promise<WriteResult> {
  if (batch.length === 0) return { inserted: 0, duplicates: 0 };
  const [written] = await queryRows<{ n: number }>(
    db,
    sql`with ${insertEventsCtes(productId, runId, source, batch, skipLinks)},
        ${ROLLUP_CTES_FROM_INS}
        select count(*)::int as n from ins`,
  );
  const inserted = Number(written?.n ?? 0);
  return { inserted, duplicates: batch.length - inserted };
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
 * rejected row with its reason, and record the run with its counts. Batches
 * are written while the next is read and validated. If the database
 * fails midway the run is marked failed with the counts of the batches
 * written; running the same input again completes it without duplicates.
 *
 * No statement runs in an explicit transaction: each is atomic on its own.
 * (postgres.js 3.4 crashes the process when a transaction's connection dies
 * under it, porsager/postgres#1208, which is exactly the outage an import
 * must survive.)
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
    /** Events per statement (default EVENT_BATCH; tests use small batches). */
    batchSize?: number;
  } = {},
): Promise<RunResult> {
  const now = options.now ?? new Date();
  const eventBatchSize = Math.max(1, options.batchSize ?? EVENT_BATCH);
  const otherBatchSize = Math.min(eventBatchSize, OTHER_BATCH);
  const runId = await startRun(db, info);
  options.onStart?.(runId);
  /** Items read so far (read, rejected) and rows written (inserted, duplicates): the progress. */
  const counts: RunCounts = { read: 0, inserted: 0, duplicates: 0, rejected: 0 };
  /** What the batches written so far hold: the counts of a failed run. */
  const committed: RunCounts = { read: 0, inserted: 0, duplicates: 0, rejected: 0 };
  let eventsInserted = 0;
  let enrichment: EnrichmentConfig | undefined;
  let eventBatch: NormalizedEvent[] = [];
  let surveyBatch: NormalizedSurveyResponse[] = [];
  let mentionBatch: NormalizedMention[] = [];
  let statBatch: NormalizedDailyStat[] = [];
  let rejectBatch: Rejection[] = [];
  let batchRead = 0;
  let batchRejected = 0;

  const write = async (
    batch: {
      events: NormalizedEvent[];
      surveys: NormalizedSurveyResponse[];
      mentions: NormalizedMention[];
      stats: NormalizedDailyStat[];
      rejects: Rejection[];
      read: number;
      rejected: number;
    },
    skipLinks: ReadonlySet<string>,
  ) => {
    const add = (r: WriteResult) => {
      counts.inserted += r.inserted;
      counts.duplicates += r.duplicates;
      committed.inserted += r.inserted;
      committed.duplicates += r.duplicates;
    };
    const written = await writeEvents(db, info.productId, runId, info.format, batch.events, skipLinks);
    eventsInserted += written.inserted;
    add(written);
    if (batch.surveys.length + batch.mentions.length > 0) {
      // Comments and mentions are scored and tagged as they arrive, with the product's current keywords.
      enrichment ??= await loadEnrichmentConfig(db, info.productId);
      add(await writeSurveyResponses(db, info.productId, runId, info.format, batch.surveys, enrichment));
      add(await writeMentions(db, info.productId, runId, info.format, batch.mentions, enrichment));
    }
    add(await writeDailyStats(db, info.productId, runId, info.format, batch.stats));
    await recordRejections(db, info.productId, runId, batch.rejects);
    committed.read += batch.read;
    committed.rejected += batch.rejected;
    options.onProgress?.({ ...counts });
  };
  // Batches are written while the next ones are read and validated, at most
  // WRITES_IN_FLIGHT at once (on PostgreSQL, each on its own pooled connection,
  // so the server works on one while the next is written and this process
  // parses): memory stays bounded to a few batches. A batch does not repeat
  // the identity links of a batch still in flight, so the input's first link
  // of an anonymous id wins whichever commits first.
  const writing: { done: Promise<void>; links: Set<string> }[] = [];
  const flush = async () => {
    while (writing.length >= WRITES_IN_FLIGHT) await writing.shift()?.done;
    const batch = {
      events: eventBatch,
      surveys: surveyBatch,
      mentions: mentionBatch,
      stats: statBatch,
      rejects: rejectBatch,
      read: batchRead,
      rejected: batchRejected,
    };
    eventBatch = [];
    surveyBatch = [];
    mentionBatch = [];
    statBatch = [];
    rejectBatch = [];
    batchRead = 0;
    batchRejected = 0;
    const skip = new Set<string>();
    for (const w of writing) for (const id of w.links) skip.add(id);
    const links = new Set<string>();
    for (const e of batch.events) if (e.userId && e.anonymousId) links.add(e.anonymousId);
    const done = write(batch, skip);
    // Awaited when the window is full or at the end; handled here so that a
    // failure while the next batch is read is not an unhandled rejection.
    done.catch(() => undefined);
    writing.push({ done, links });
  };
  const reject = (line: number | null | undefined, value: unknown, reason: string) => {
    counts.rejected += 1;
    batchRejected += 1;
    rejectBatch.push({ line: line ?? null, raw: JSON.stringify(value), reason });
  };

  try {
    for await (const item of items) {
      counts.read += 1;
      batchRead += 1;
      if (item.kind === "reject") {
        counts.rejected += 1;
        batchRejected += 1;
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
      const others = surveyBatch.length + mentionBatch.length + statBatch.length + rejectBatch.length;
      if (eventBatch.length >= eventBatchSize || others >= otherBatchSize) await flush();
    }
    await flush();
    while (writing.length > 0) await writing.shift()?.done;
  } catch (err) {
    // Batches still being written when the input (or another batch) failed count once they are stored.
    await Promise.allSettled(writing.map((w) => w.done));
    await markRunFailed(db, runId, committed, err, options.summary?.());
    throw err;
  }
  if (eventsInserted > 0) {
    // Only keeps session_pieces small; the numbers are exact without it, so a
    // failure here (the next run or the server's timer compacts) is not the run's.
    await compactSessionPieces(db, info.productId).catch(() => undefined);
    // Statistics of the tables the import grew, before the link repair plans its probes
    // (autovacuum lags a bulk load; with the counts of the first batches it probed by day).
    await analyzeRollups(db).catch(() => undefined);
  }
  await applyPendingLinks(db);
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
