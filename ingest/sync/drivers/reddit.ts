import { isRecord, joinUrl, parsePageJson, stringOf } from "../page-json";
import type { Cursor, SyncDriver } from "../types";

const PUBLIC_BASE = "https://www.reddit.com";
const OAUTH_BASE = "https://oauth.reddit.com";

/**
 * Reddit search (`/search.json?sort=new`) or any listing URL, newest first,
 * paged with the listing's `after` token. Reddit has no reliable "newer than"
 * filter, so the settled cursor is empty: a run starts at the newest item and
 * stops at the first page that brings nothing new. A run cut short stores
 * `after` and resumes there.
 */
export const redditDriver: SyncDriver = {
  kind: "reddit",
  adapter: "reddit",
  defaultBaseUrl: PUBLIC_BASE,
  baseUrlEnv: "NORTHSTAR_REDDIT_API_URL",
  request(input, cursor) {
    // A token only works on the OAuth host; the public host ignores it.
    const base = input.token && input.baseUrl === PUBLIC_BASE ? OAUTH_BASE : input.baseUrl;
    const url = input.config.url ? new URL(input.config.url) : joinUrl(base, "search.json");
    if (!input.config.url) {
      url.searchParams.set("q", input.config.query ?? "");
      url.searchParams.set("sort", "new");
    }
    url.searchParams.set("limit", "100");
    url.searchParams.set("raw_json", "1");
    const after = stringOf(cursor.after);
    if (after) url.searchParams.set("after", after);
    else url.searchParams.delete("after");
    const headers: Record<string, string> = { Accept: "application/json" };
    if (input.token) headers.Authorization = `Bearer ${input.token}`;
    return { url: url.toString(), headers };
  },
  advance(_cursor, page): { cursor: Cursor; more: boolean } {
    const doc = parsePageJson(page);
    const data = isRecord(doc?.data) ? doc.data : null;
    const children = Array.isArray(data?.children) ? data.children : [];
    const after = stringOf(data?.after);
    return after && children.length > 0 ? { cursor: { after }, more: true } : { cursor: {}, more: false };
  },
  settle: () => ({}),
};
