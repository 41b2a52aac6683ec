import { compact, isRecord, joinUrl, numberOf, parsePageJson, stringOf } from "../page-json";
import type { Cursor, SyncDriver } from "../types";

const PAGE_SIZE = 100;

/** The later of two ISO instants (Typeform writes them all in UTC with "Z"). */
function laterOf(a: string | null, b: string | null): string | null {
  if (!a || Number.isNaN(Date.parse(a))) return b && !Number.isNaN(Date.parse(b)) ? b : null;
  if (!b || Number.isNaN(Date.parse(b))) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function settleTypeform(c: Cursor): Cursor {
  const since = laterOf(stringOf(c.since), stringOf(c.newest));
  return since ? { since } : {};
}

/**
 * Typeform Responses API, newest first. The settled cursor is the newest
 * `submitted_at` stored (`since`); a run keeps that filter and pages to older
 * responses with `before=<token of the page's last response>`.
 */
export const typeformDriver: SyncDriver = {
  kind: "typeform",
  adapter: "typeform",
  defaultBaseUrl: "https://api.typeform.com",
  baseUrlEnv: "NORTHSTAR_TYPEFORM_API_URL",
  request(input, cursor) {
    const url = joinUrl(input.baseUrl, `forms/${encodeURIComponent(input.config.query ?? "")}/responses`);
    url.searchParams.set("page_size", String(PAGE_SIZE));
    const since = stringOf(cursor.since);
    if (since) url.searchParams.set("since", since);
    const before = stringOf(cursor.before);
    if (before) url.searchParams.set("before", before);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (input.token) headers.Authorization = `Bearer ${input.token}`;
    return { url: url.toString(), headers };
  },
  advance(cursor, page) {
    const doc = parsePageJson(page);
    const items = (Array.isArray(doc?.items) ? doc.items : []).filter(isRecord);
    let newest = stringOf(cursor.newest);
    // The zero date marks an unsubmitted response: never a high-water mark.
    for (const it of items)
      if (!String(it.submitted_at).startsWith("0001-")) newest = laterOf(newest, stringOf(it.submitted_at));
    const last = items[items.length - 1];
    const before = last ? (stringOf(last.token) ?? stringOf(last.response_id)) : null;
    const pageCount = numberOf(doc?.page_count);
    const more = !!before && (pageCount !== null ? pageCount > 1 : items.length >= PAGE_SIZE);
    const next = compact({ since: stringOf(cursor.since), before, newest });
    return more ? { cursor: next, more } : { cursor: settleTypeform(next), more };
  },
  settle: settleTypeform,
};
