import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { products } from "../db/schema/products";
import { now as clockNow } from "../lib/clock";
import {
  claimSource,
  listSourcesToSync,
  type Source,
  type SourceConfig,
  updateSourceCursor,
  updateSourceStatus,
} from "../lib/queries/sources";
import { bytesOf } from "./adapters/read-text";
import { findAdapter as registryFindAdapter } from "./adapters/registry";
import type { Adapter, AdapterContext } from "./adapters/types";
import type { IngestItem } from "./normalized";
import { finishRun, type RunCounts, startRun } from "./pipeline";
import { findDriver, resolveBaseUrl } from "./sync/drivers";
import { fetchWithRetry, type RetryOptions } from "./sync/fetch-retry";
import type { Cursor, FetchedPage, SyncDriver } from "./sync/types";
import { writePage } from "./sync/write-page";

/** Pages one source may fetch per run; the rest waits for the next run (the cursor remembers where). */
export const MAX_PAGES_PER_RUN = 50;
/** A "running" claim older than this is from a sync that died; another may take the source over. */
const STALE_CLAIM_MS = 60 * 60 * 1000;

/** Everything a sync touches outside the database, injectable for tests. */
export interface SyncDeps {
  /** Retry, backoff and fetch settings (fetch, sleep, maxAttempts...). */
  retry?: Partial<RetryOptions>;
  findAdapter?: (name: string) => Adapter | undefined;
  /** Where tokens and base-URL overrides are read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  now?: () => Date;
  maxPages?: number;
}

export interface SyncResult extends RunCounts {
  sourceId: number;
  productId: number;
  kind: string;
  label: string;
  /** skipped: another process is syncing this source right now. */
  status: "succeeded" | "failed" | "skipped";
  runId: number | null;
  pages: number;
  stopped: string | null;
  error: string | null;
  cursor: string | null;
}

/** How a source is named in runs and messages: its kind and query or URL (never a token). */
export function describeSource(source: Pick<Source, "kind" | "config">): string {
  const c = source.config as SourceConfig;
  return `${source.kind}: ${c.url ?? (c.country ? `${c.country}/${c.query ?? ""}` : (c.query ?? ""))}`;
}

function parseCursor(text: string | null): Cursor {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Cursor) : {};
  } catch {
    return {};
  }
}

const serializeCursor = (c: Cursor): string | null =>
  Object.keys(c).length === 0 ? null : JSON.stringify(c);

async function collect(items: AsyncIterable<IngestItem>): Promise<IngestItem[]> {
  const out: IngestItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

interface Plan {
  driver: SyncDriver;
  adapter: Adapter;
  baseUrl: string;
  token?: string;
}

function planSync(source: Source, deps: SyncDeps, env: Record<string, string | undefined>): Plan {
  const driver = findDriver(source.kind);
  if (!driver) throw new Error(`unknown source kind "${source.kind}"`);
  const adapter = (deps.findAdapter ?? registryFindAdapter)(driver.adapter);
  if (!adapter) throw new Error(`no "${driver.adapter}" adapter is registered`);
  const config = source.config as SourceConfig;
  let token: string | undefined;
  if (config.tokenEnv) {
    token = env[config.tokenEnv];
    if (!token) throw new Error(`environment variable ${config.tokenEnv} (named by --token-env) is not set`);
  }
  return { driver, adapter, baseUrl: resolveBaseUrl(driver, config, env), token };
}

/**
 * Pull what is new from one source into its product, as one recorded run
 * (kind "sync"). Each page is parsed by the kind's adapter, then written
 * together with the advanced cursor in one transaction: a crash loses at most
 * the page in flight, and re-fetched items dedupe by external id. Paging stops
 * when the API has no more pages, a page brings nothing new, or after
 * `maxPages` (the cursor then resumes the backlog next run). A fetch that keeps
 * failing after retries fails the run, records why on the source, and never throws.
 */
export async function syncSource(db: Db, source: Source, deps: SyncDeps = {}): Promise<SyncResult> {
  const env = deps.env ?? process.env;
  const now = deps.now ?? clockNow;
  const maxPages = deps.maxPages ?? MAX_PAGES_PER_RUN;
  const ids = { productId: source.productId, sourceId: source.id };
  const label = describeSource(source);
  const result: SyncResult = {
    ...{ sourceId: source.id, productId: source.productId, kind: source.kind, label },
    ...{ status: "skipped", runId: null, pages: 0, stopped: null, error: null, cursor: source.cursor },
    ...{ read: 0, inserted: 0, duplicates: 0, rejected: 0 },
  };
  if (!(await claimSource(db, { ...ids, at: now(), staleAfterMs: STALE_CLAIM_MS }))) {
    result.stopped = "another sync of this source is running";
    return result;
  }
  const driverName = findDriver(source.kind)?.adapter ?? source.adapter;
  const runId = await startRun(db, {
    productId: source.productId,
    kind: "sync",
    format: driverName,
    fileName: label,
    sourceId: source.id,
  });
  result.runId = runId;
  const notes: Record<string, unknown> = {};
  const summary = () => ({
    ...notes,
    pages: result.pages,
    max_pages: maxPages,
    stopped: result.stopped,
    cursor: result.cursor,
  });
  const counts = () => ({
    read: result.read,
    inserted: result.inserted,
    duplicates: result.duplicates,
    rejected: result.rejected,
  });
  let pageNo = 0;
  try {
    const plan = planSync(source, deps, env);
    const [product] = await db
      .select({ timezone: products.timezone })
      .from(products)
      .where(eq(products.id, source.productId));
    let cursor = parseCursor(source.cursor);
    for (;;) {
      if (result.pages >= maxPages) {
        result.stopped = `page limit (${maxPages}) reached; the next run continues from the cursor`;
        break;
      }
      const request = plan.driver.request(
        { config: source.config as SourceConfig, baseUrl: plan.baseUrl, token: plan.token },
        cursor,
      );
      pageNo = result.pages + 1;
      const page: FetchedPage = await fetchWithRetry(request, deps.retry);
      result.pages = pageNo;
      const ctx: AdapterContext = {
        fileName: `${label} (page ${pageNo})`,
        timezone: product?.timezone ?? "UTC",
        now: now(),
        options: {},
        note: (key, value) => {
          notes[key] = value;
        },
      };
      const items = page.status === 304 ? [] : await collect(plan.adapter.parse(bytesOf(page.body), ctx));
      const next = plan.driver.advance(cursor, page);
      const outcome = await db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const c = await writePage(
          t,
          { productId: source.productId, runId, format: plan.adapter.name, page: pageNo },
          items,
          ctx.now,
        );
        const stop =
          page.status === 304
            ? "not modified since the last sync"
            : c.read === 0
              ? "no new items"
              : c.inserted === 0 && c.duplicates > 0
                ? "caught up (a page brought nothing new)"
                : !next.more
                  ? "no more pages"
                  : null;
        const stored = stop ? plan.driver.settle(next.cursor) : next.cursor;
        await updateSourceCursor(t, { ...ids, cursor: serializeCursor(stored) });
        return { c, stop, stored };
      });
      result.read += outcome.c.read;
      result.inserted += outcome.c.inserted;
      result.duplicates += outcome.c.duplicates;
      result.rejected += outcome.c.rejected;
      cursor = outcome.stored;
      result.cursor = serializeCursor(cursor);
      if (outcome.stop) {
        result.stopped = outcome.stop;
        break;
      }
    }
    result.status = "succeeded";
    await finishRun(db, runId, counts(), "succeeded", undefined, summary());
    const s = result;
    const status = `succeeded: ${s.inserted} new, ${s.duplicates} duplicates, ${s.rejected} rejected from ${s.pages} page${s.pages === 1 ? "" : "s"}; ${s.stopped}`;
    await updateSourceStatus(db, { ...ids, status, at: now() });
  } catch (err) {
    const message = (err as Error)?.message?.split("\n")[0] ?? String(err);
    result.status = "failed";
    result.error = pageNo > 1 ? `page ${pageNo}: ${message}` : message;
    await finishRun(db, runId, counts(), "failed", result.error, summary());
    await updateSourceStatus(db, { ...ids, status: `failed: ${result.error}`, at: now() });
  }
  return result;
}

/**
 * Sync every enabled source (of one product, or of all), one after another; a
 * failing source never stops the others. `sourceId` picks one source, enabled
 * or not: naming it is the user's decision.
 */
export async function syncSources(
  db: Db,
  params: { productId?: number; sourceId?: number },
  deps: SyncDeps = {},
): Promise<SyncResult[]> {
  const chosen = await listSourcesToSync(db, params);
  const results: SyncResult[] = [];
  for (const source of chosen) results.push(await syncSource(db, source, deps));
  return results;
}
