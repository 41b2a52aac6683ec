import { compact, isRecord, joinUrl, numberOf, parsePageJson } from "../page-json";
import type { Cursor, SyncDriver } from "../types";

const HITS_PER_PAGE = 100;

function settleHn(c: Cursor): Cursor {
  const since = Math.max(numberOf(c.since) ?? 0, numberOf(c.newest) ?? 0);
  return since > 0 ? { since } : {};
}

/**
 * Hacker News through Algolia's `search_by_date` (newest first). The settled
 * cursor is the newest `created_at_i` stored; a run filters `created_at_i>since`
 * and walks `page` until `nbPages`. A run cut short resumes at its next page
 * with the same filter: new stories push older ones down, so resuming re-reads
 * some (deduplicated) rather than skipping any.
 */
export const hnDriver: SyncDriver = {
  kind: "hn",
  adapter: "hn",
  defaultBaseUrl: "https://hn.algolia.com/api/v1",
  baseUrlEnv: "NORTHSTAR_HN_API_URL",
  request(input, cursor) {
    const url = joinUrl(input.baseUrl, "search_by_date");
    url.searchParams.set("query", input.config.query ?? "");
    url.searchParams.set("tags", "(story,comment)");
    const since = numberOf(cursor.since);
    if (since) url.searchParams.set("numericFilters", `created_at_i>${since}`);
    url.searchParams.set("page", String(numberOf(cursor.page) ?? 0));
    url.searchParams.set("hitsPerPage", String(HITS_PER_PAGE));
    return { url: url.toString(), headers: { Accept: "application/json" } };
  },
  advance(cursor, page) {
    const doc = parsePageJson(page);
    const hits = Array.isArray(doc?.hits) ? doc.hits : [];
    let newest = numberOf(cursor.newest) ?? 0;
    for (const hit of hits) newest = Math.max(newest, (isRecord(hit) && numberOf(hit.created_at_i)) || 0);
    const pageNo = numberOf(cursor.page) ?? 0;
    const nbPages = numberOf(doc?.nbPages) ?? 0;
    const more = hits.length > 0 && pageNo + 1 < nbPages;
    const next = compact({ since: numberOf(cursor.since), page: pageNo + 1, newest: newest || null });
    return more ? { cursor: next, more } : { cursor: settleHn(next), more };
  },
  settle: settleHn,
};
