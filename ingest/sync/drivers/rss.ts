import { compact, stringOf } from "../page-json";
import type { SyncDriver } from "../types";

/**
 * An RSS 2.0 or Atom feed: one page, fetched with a conditional GET. The
 * cursor is the feed's ETag and Last-Modified; an unchanged feed answers 304
 * and costs neither parsing nor writes. Items already stored dedupe by id.
 */
export const rssDriver: SyncDriver = {
  kind: "rss",
  adapter: "rss",
  defaultBaseUrl: "",
  baseUrlEnv: null,
  request(input, cursor) {
    const headers: Record<string, string> = {
      Accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5",
    };
    const etag = stringOf(cursor.etag);
    const lastModified = stringOf(cursor.lastModified);
    if (etag) headers["If-None-Match"] = etag;
    if (lastModified) headers["If-Modified-Since"] = lastModified;
    if (input.token) headers.Authorization = `Bearer ${input.token}`;
    return { url: input.config.url ?? "", headers };
  },
  advance(cursor, page) {
    if (page.status === 304) return { cursor, more: false };
    const next = compact({ etag: page.headers.get("etag"), lastModified: page.headers.get("last-modified") });
    return { cursor: next, more: false };
  },
  settle: (c) => c,
};
