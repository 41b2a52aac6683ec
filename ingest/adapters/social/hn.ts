import type { IngestItem } from "../../normalized";
import { type Adapter, UnreadableInputError } from "../types";
import { dateOf, engagementOf, htmlToText, isObject, num, readJson, str } from "./social-text";

/** One Algolia hit as a mention: stories keep their title, comments their text; both keep the thread ids. */
export function hnHitItem(hit: unknown, index: number): IngestItem {
  const reject = (reason: string): IngestItem => ({ kind: "reject", value: { line: index, reason } });
  if (!isObject(hit)) return reject("hit is not an object");
  const id = str(hit.objectID);
  if (!id) return reject("objectID is missing");
  const createdAt = dateOf(hit.created_at_i, hit.created_at);
  if (!createdAt) return reject("created_at_i / created_at is missing or not a date");
  const html = str(hit.comment_text) ?? str(hit.story_text);
  const tags = Array.isArray(hit._tags) ? hit._tags.filter((t): t is string => typeof t === "string") : [];
  const isComment = tags.includes("comment") || (hit.comment_text != null && hit.title == null);
  return {
    kind: "mention",
    line: index,
    value: {
      externalId: id,
      createdAt,
      url: str(hit.url) ?? `https://news.ycombinator.com/item?id=${id}`,
      author: str(hit.author),
      title: str(hit.title) ?? null,
      body: html ? htmlToText(html) : null,
      engagement: engagementOf(num(hit.points)),
      metadata: {
        type: isComment ? "comment" : "story",
        num_comments: num(hit.num_comments),
        story_id: hit.story_id ?? null,
        parent_id: hit.parent_id ?? null,
        story_title: hit.story_title ?? null,
        tags,
      },
    },
  };
}

/** Hacker News via the Algolia search API (`search` and `search_by_date` responses). */
export const hnAdapter: Adapter = {
  name: "hn",
  kind: "social",
  description: "Hacker News Algolia search API JSON (stories and comments)",
  sniff(sample) {
    if (!/"hits"\s*:/.test(sample)) return 0;
    return /"objectID"\s*:/.test(sample) || /"nbHits"\s*:/.test(sample) ? 0.95 : 0.3;
  },
  async *parse(input, ctx) {
    const doc = await readJson(input, ctx.fileName);
    const hits = isObject(doc) ? doc.hits : Array.isArray(doc) ? doc : undefined;
    if (!Array.isArray(hits))
      throw new UnreadableInputError(`${ctx.fileName} is not an Algolia HN response (no "hits")`);
    if (isObject(doc)) ctx.note("hn_total_hits", num(doc.nbHits));
    for (const [index, hit] of hits.entries()) yield hnHitItem(hit, index);
  },
};
