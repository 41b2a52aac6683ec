import type { IngestItem } from "../../normalized";
import { type Adapter, UnreadableInputError } from "../types";
import { dateOf, engagementOf, isObject, num, readJson, str } from "./social-text";

function tweetItem(
  t: unknown,
  index: number,
  users: Map<string, { username: string | null; name: string | null }>,
): IngestItem {
  const reject = (reason: string): IngestItem => ({ kind: "reject", value: { line: index, reason } });
  if (!isObject(t)) return reject("data entry is not an object");
  const id = str(t.id);
  if (!id || !/^\d+$/.test(id)) return reject("id is missing or not numeric");
  const text = typeof t.text === "string" ? t.text : null;
  if (!text) return reject(`post ${id}: text is missing`);
  const createdAt = dateOf(undefined, t.created_at) ?? snowflakeDate(id);
  if (!createdAt) return reject(`post ${id}: created_at is missing`);
  const user = users.get(String(t.author_id ?? ""));
  const m = isObject(t.public_metrics) ? t.public_metrics : {};
  return {
    kind: "mention",
    line: index,
    value: {
      externalId: id,
      createdAt,
      url: user?.username
        ? `https://x.com/${user.username}/status/${id}`
        : `https://x.com/i/web/status/${id}`,
      author: user?.username ? `@${user.username}` : null,
      title: null,
      body: text,
      engagement: engagementOf(
        num(m.like_count),
        num(m.retweet_count),
        num(m.reply_count),
        num(m.quote_count),
      ),
      metadata: {
        author_id: t.author_id ?? null,
        author_name: user?.name ?? null,
        lang: t.lang ?? null,
        impression_count: num(m.impression_count),
        public_metrics: t.public_metrics ?? null,
        created_at_from_id: t.created_at == null,
      },
    },
  };
}

/**
 * Post ids are snowflakes: the top bits are milliseconds since 2010-11-04
 * (Twitter epoch 1288834974657). Used only when `created_at` was not requested.
 */
export function snowflakeDate(id: string): Date | null {
  try {
    const ms = Number((BigInt(id) >> 22n) + 1288834974657n);
    return ms > 1288834974657 ? new Date(ms) : null;
  } catch {
    return null;
  }
}

/** X API v2 search / lookup JSON; text is kept exactly (emoji surrogate pairs decode as JSON does). */
export const xAdapter: Adapter = {
  name: "x",
  kind: "social",
  description: "X (Twitter) API v2 search/lookup JSON (data[], includes.users)",
  sniff(sample) {
    if (!/"data"\s*:/.test(sample)) return 0;
    if (/"edit_history_tweet_ids"\s*:/.test(sample)) return 0.95;
    if (/"public_metrics"\s*:/.test(sample) && /"(retweet|like)_count"/.test(sample)) return 0.9;
    return /"result_count"\s*:/.test(sample) && /"newest_id"\s*:/.test(sample) ? 0.85 : 0;
  },
  async *parse(input, ctx) {
    const doc = await readJson(input, ctx.fileName);
    if (!isObject(doc)) throw new UnreadableInputError(`${ctx.fileName} is not an X API v2 response object`);
    const meta = isObject(doc.meta) ? doc.meta : null;
    if (meta?.next_token != null) ctx.note("x_next_token", meta.next_token);
    if (doc.data === undefined && meta) {
      ctx.note("x_result_count", num(meta.result_count) ?? 0);
      return;
    }
    const data = Array.isArray(doc.data) ? doc.data : isObject(doc.data) ? [doc.data] : null;
    if (!data) throw new UnreadableInputError(`${ctx.fileName} is not an X API v2 response (no "data")`);
    const users = new Map<string, { username: string | null; name: string | null }>();
    const includes = isObject(doc.includes) ? doc.includes : {};
    for (const u of Array.isArray(includes.users) ? includes.users : []) {
      if (isObject(u) && str(u.id)) users.set(String(u.id), { username: str(u.username), name: str(u.name) });
    }
    for (const [index, t] of data.entries()) yield tweetItem(t, index, users);
  },
};
