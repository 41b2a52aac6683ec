import type { SourceConfig, SourceKind } from "../../lib/queries/sources";

/** Where a sync resumes: a small JSON object per kind, stored as text in `sources.cursor`. */
export type Cursor = Record<string, string | number>;

/** One HTTP GET, fully built: URL with its query and headers (tokens only ever here, never in the URL). */
export interface PageRequest {
  url: string;
  headers: Record<string, string>;
}

/** What came back for a page: 2xx bodies, or 304 Not Modified with an empty body. */
export interface FetchedPage {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** What a driver needs to know about a source to build its requests. */
export interface DriverInput {
  config: SourceConfig;
  /** Resolved API base URL (per-source config, else the kind's env override, else the public API). */
  baseUrl: string;
  /** Bearer token read from the environment variable named by `config.tokenEnv`, if any. */
  token?: string;
}

/**
 * Request building and cursor logic for one kind of API. Pure: no I/O.
 * A cursor may be "in progress" (a run stopped mid-way: it resumes at the next
 * page) or "settled" (everything up to a high-water mark is stored).
 */
export interface SyncDriver {
  kind: SourceKind;
  /** Registered adapter that parses this API's page bodies. */
  adapter: string;
  /** Public API base used when neither the source nor the environment names one. */
  defaultBaseUrl: string;
  /** Environment variable that overrides the base URL for every source of this kind. */
  baseUrlEnv: string | null;
  request(input: DriverInput, cursor: Cursor): PageRequest;
  /** The cursor after this page is stored, and whether the API says there are more pages. */
  advance(cursor: Cursor, page: FetchedPage): { cursor: Cursor; more: boolean };
  /** Turn an in-progress cursor into a settled one when the run stops paging (caught up). */
  settle(cursor: Cursor): Cursor;
}
