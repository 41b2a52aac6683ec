import type { IngestItem } from "../../normalized";
import { type Adapter, UnreadableInputError } from "../types";
import { dateOf, engagementOf, isObject, num, readJson, str } from "./social-text";

function thingItem(kind: string, data: Record<string, unknown>, index: number): IngestItem {
  const reject = (reason: string): IngestItem => ({ kind: "reject", value: { line: index, reason } });
  const name = str(data.name) ?? (str(data.id) ? `${kind}_${data.id}` : null);
  if (!name) return reject(`${kind} has neither name nor id`);
  const createdAt = dateOf(data.created_utc);
  if (!createdAt) return reject(`${name}: created_utc is missing or not a number`);
  const permalink = str(data.permalink);
  const deleted = (t: string | null) => (t === "[deleted]" || t === "[removed]" ? null : t);
  return {
    kind: "mention",
    line: index,
    value: {
      externalId: name,
      createdAt,
      url: permalink ? `https://www.reddit.com${permalink}` : str(data.url),
      author: deleted(str(data.author)),
      title: kind === "t3" ? str(data.title) : null,
      body: deleted(kind === "t3" ? str(data.selftext) : str(data.body)),
      engagement: engagementOf(num(data.score)),
      metadata: {
        type: kind === "t3" ? "post" : "comment",
        subreddit: data.subreddit ?? null,
        num_comments: num(data.num_comments),
        link_id: data.link_id ?? null,
        parent_id: data.parent_id ?? null,
        link_url: kind === "t3" ? (data.url ?? null) : null,
      },
    },
  };
}

/** Listings anywhere in the document: one listing, or the [post, comments] pair a thread page returns. */
function collectThings(doc: unknown, out: { kind: string; data: unknown }[], depth = 0): void {
  if (depth > 50) return;
  if (Array.isArray(doc)) {
    for (const d of doc) collectThings(d, out, depth + 1);
    return;
  }
  if (!isObject(doc)) return;
  if (doc.kind === "Listing" && isObject(doc.data) && Array.isArray(doc.data.children)) {
    for (const child of doc.data.children) {
      if (!isObject(child)) {
        out.push({ kind: "?", data: child });
        continue;
      }
      out.push({ kind: String(child.kind), data: child.data });
      // Comment trees nest their replies as further listings.
      if (isObject(child.data) && isObject(child.data.replies))
        collectThings(child.data.replies, out, depth + 1);
    }
  } else if (typeof doc.kind === "string") out.push({ kind: doc.kind, data: doc.data });
}

/** Reddit listing JSON: t3 posts and t1 comments; "more" stubs are skipped and counted. */
export const redditAdapter: Adapter = {
  name: "reddit",
  kind: "social",
  description: "Reddit listing JSON (t3 posts, t1 comments)",
  sniff(sample) {
    if (/"kind"\s*:\s*"Listing"/.test(sample)) return 0.95;
    return /"kind"\s*:\s*"t[13]"/.test(sample) ? 0.8 : 0;
  },
  async *parse(input, ctx) {
    const doc = await readJson(input, ctx.fileName);
    const things: { kind: string; data: unknown }[] = [];
    collectThings(doc, things);
    if (things.length === 0 && !(isObject(doc) && doc.kind === "Listing") && !Array.isArray(doc)) {
      throw new UnreadableInputError(`${ctx.fileName} is not a Reddit listing (no "kind": "Listing")`);
    }
    let more = 0;
    for (const [index, t] of things.entries()) {
      if (t.kind === "more") {
        more += 1;
        continue;
      }
      if (t.kind !== "t3" && t.kind !== "t1") {
        yield {
          kind: "reject",
          value: { line: index, reason: `kind "${t.kind}" is not a post (t3) or comment (t1)` },
        };
        continue;
      }
      if (!isObject(t.data)) {
        yield { kind: "reject", value: { line: index, reason: `${t.kind} has no data object` } };
        continue;
      }
      yield thingItem(t.kind, t.data, index);
    }
    ctx.note("reddit_more_skipped", more);
  },
};
