import { isRecord, joinUrl, numberOf, parsePageJson } from "../page-json";
import type { Cursor, SyncDriver } from "../types";

/** Apple serves at most 10 pages of 50 reviews. */
const MAX_PAGE = 10;

/** The page number in the feed's `rel="last"` link, when the feed gives one. */
function lastPageOf(feed: Record<string, unknown>): number | null {
  const links = Array.isArray(feed.link) ? feed.link : [feed.link];
  for (const link of links) {
    const attrs = isRecord(link) && isRecord(link.attributes) ? link.attributes : null;
    if (attrs?.rel === "last" && typeof attrs.href === "string") {
      const m = /page=(\d+)/.exec(attrs.href);
      if (m) return Number(m[1]);
    }
  }
  return null;
}

/**
 * App Store customer reviews (legacy iTunes RSS JSON), most recent first,
 * `page=N` in the path. No "since" filter exists, so a run starts at page 1
 * and stops at the first page that brings nothing new or at the last page.
 */
export const appStoreDriver: SyncDriver = {
  kind: "appstore",
  adapter: "appstore",
  defaultBaseUrl: "https://itunes.apple.com",
  baseUrlEnv: "NORTHSTAR_APPSTORE_API_URL",
  request(input, cursor) {
    const page = numberOf(cursor.page) ?? 1;
    const { url: feedUrl, query, country } = input.config;
    const url = feedUrl
      ? feedUrl.replace(/page=\d+/, `page=${page}`)
      : joinUrl(
          input.baseUrl,
          `${country ?? "us"}/rss/customerreviews/page=${page}/id=${query ?? ""}/sortby=mostrecent/json`,
        ).toString();
    return { url, headers: { Accept: "application/json" } };
  },
  advance(cursor, page): { cursor: Cursor; more: boolean } {
    const doc = parsePageJson(page);
    const feed = isRecord(doc?.feed) ? doc.feed : {};
    const entry = feed.entry;
    const count = Array.isArray(entry) ? entry.length : isRecord(entry) ? 1 : 0;
    const pageNo = numberOf(cursor.page) ?? 1;
    const last = Math.min(lastPageOf(feed) ?? MAX_PAGE, MAX_PAGE);
    return count > 0 && pageNo < last
      ? { cursor: { page: pageNo + 1 }, more: true }
      : { cursor: {}, more: false };
  },
  settle: () => ({}),
};
