import { compact, isRecord, joinUrl, parsePageJson, stringOf } from "../page-json";
import type { Cursor, SyncDriver } from "../types";

/** The larger of two tweet ids (64-bit snowflakes: compared as integers, not as text or floats). */
export function maxTweetId(a: string | null, b: string | null): string | null {
  if (!a || !/^\d+$/.test(a)) return b && /^\d+$/.test(b) ? b : null;
  if (!b || !/^\d+$/.test(b)) return a;
  return BigInt(a) >= BigInt(b) ? a : b;
}

function settleX(c: Cursor): Cursor {
  const sinceId = maxTweetId(stringOf(c.sinceId), stringOf(c.newest));
  return sinceId ? { sinceId } : {};
}

/**
 * X API v2 recent search, newest first. The settled cursor is the newest
 * tweet id stored (`since_id`); a run keeps that filter and follows
 * `meta.next_token` to older pages.
 */
export const xDriver: SyncDriver = {
  kind: "x",
  adapter: "x",
  defaultBaseUrl: "https://api.x.com",
  baseUrlEnv: "NORTHSTAR_X_API_URL",
  request(input, cursor) {
    const url = joinUrl(input.baseUrl, "2/tweets/search/recent");
    url.searchParams.set("query", input.config.query ?? "");
    url.searchParams.set("max_results", "100");
    url.searchParams.set("tweet.fields", "created_at,public_metrics,author_id,lang,conversation_id");
    url.searchParams.set("expansions", "author_id");
    url.searchParams.set("user.fields", "username,name");
    const sinceId = stringOf(cursor.sinceId);
    if (sinceId) url.searchParams.set("since_id", sinceId);
    const nextToken = stringOf(cursor.nextToken);
    if (nextToken) url.searchParams.set("next_token", nextToken);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (input.token) headers.Authorization = `Bearer ${input.token}`;
    return { url: url.toString(), headers };
  },
  advance(cursor, page) {
    const doc = parsePageJson(page);
    const meta = isRecord(doc?.meta) ? doc.meta : {};
    const data = Array.isArray(doc?.data) ? doc.data : [];
    let newest = maxTweetId(stringOf(cursor.newest), stringOf(meta.newest_id));
    for (const t of data) newest = maxTweetId(newest, isRecord(t) ? stringOf(t.id) : null);
    const nextToken = stringOf(meta.next_token);
    const next = compact({ sinceId: stringOf(cursor.sinceId), nextToken, newest });
    return nextToken && data.length > 0
      ? { cursor: next, more: true }
      : { cursor: settleX(next), more: false };
  },
  settle: settleX,
};
