import type { IngestItem } from "../../normalized";
import { type Adapter, UnreadableInputError } from "../types";
import { isObject, num, readJson, str } from "./social-text";

/** Every value of the legacy iTunes RSS JSON is wrapped as {"label": ...}. */
const label = (v: unknown): string | null => (isObject(v) ? str(v.label) : null);

function entryItem(e: unknown, index: number): IngestItem | null {
  const reject = (reason: string): IngestItem => ({ kind: "reject", value: { line: index, reason } });
  if (!isObject(e)) return reject("entry is not an object");
  // Older feeds list the app itself first: it has a name and no rating.
  if (e["im:name"] !== undefined && e["im:rating"] === undefined) return null;
  const id = label(e.id);
  if (!id) return reject("id.label is missing");
  const updated = label(e.updated);
  const createdAt = updated ? new Date(updated) : null;
  if (!createdAt || Number.isNaN(createdAt.getTime()))
    return reject(`review ${id}: updated.label is missing or not a date`);
  const rating = num(label(e["im:rating"]));
  if (rating === null || rating < 1 || rating > 5) return reject(`review ${id}: im:rating is not 1-5`);
  const author = isObject(e.author) ? e.author : {};
  const voteSum = num(label(e["im:voteSum"]));
  const link = isObject(e.link) && isObject(e.link.attributes) ? str(e.link.attributes.href) : null;
  return {
    kind: "mention",
    line: index,
    value: {
      externalId: id,
      createdAt,
      url: link,
      author: label(author.name),
      title: label(e.title),
      body: label(e.content),
      engagement: Math.round(voteSum ?? 0),
      rating,
      metadata: {
        version: label(e["im:version"]),
        vote_sum: voteSum,
        vote_count: num(label(e["im:voteCount"])),
        author_uri: label(author.uri),
      },
    },
  };
}

/** App Store customer-reviews RSS as JSON; `feed.entry` may be an array, one object, or absent. */
export const appStoreAdapter: Adapter = {
  name: "appstore",
  kind: "social",
  description: "Apple App Store customer reviews RSS JSON (feed.entry[])",
  sniff(sample) {
    if (!/"feed"\s*:/.test(sample)) return 0;
    if (/"im:(rating|name|version)"\s*:/.test(sample)) return 0.95;
    return /"label"\s*:/.test(sample) ? 0.7 : 0;
  },
  async *parse(input, ctx) {
    const doc = await readJson(input, ctx.fileName);
    if (!isObject(doc) || !isObject(doc.feed)) {
      throw new UnreadableInputError(`${ctx.fileName} is not an App Store reviews feed (no "feed" object)`);
    }
    const entry = doc.feed.entry;
    if (entry === undefined || entry === null) {
      ctx.note("appstore_entries", 0);
      return;
    }
    const entries = Array.isArray(entry) ? entry : [entry];
    ctx.note("appstore_entries", entries.length);
    for (const [index, e] of entries.entries()) {
      const item = entryItem(e, index);
      if (item) yield item;
    }
  },
};
