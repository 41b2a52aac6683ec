import { XMLParser } from "fast-xml-parser";
import type { IngestItem } from "../../normalized";
import { readAllText } from "../read-text";
import { type Adapter, UnreadableInputError } from "../types";
import { htmlToText, isObject, shortHash } from "./social-text";

/** Text of a node that may be a string, a number, or {"#text": ..., "@_attr": ...}. */
function textOf(v: unknown): string | null {
  if (typeof v === "string") return v.trim() || null;
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return textOf(v[0]);
  if (isObject(v)) return textOf(v["#text"]);
  return null;
}

function atomLink(v: unknown): string | null {
  const links = Array.isArray(v) ? v : [v];
  const pick =
    links.find((l) => isObject(l) && (l["@_rel"] === undefined || l["@_rel"] === "alternate")) ?? links[0];
  return isObject(pick) ? textOf(pick["@_href"]) : textOf(pick);
}

function toItem(entry: unknown, index: number, atom: boolean): IngestItem {
  const reject = (reason: string): IngestItem => ({ kind: "reject", value: { line: index, reason } });
  if (!isObject(entry)) return reject(`${atom ? "entry" : "item"} is not an element`);
  const link = atom ? atomLink(entry.link) : textOf(entry.link);
  const title = textOf(entry.title);
  const html = atom
    ? (textOf(entry.content) ?? textOf(entry.summary))
    : (textOf(entry["content:encoded"]) ?? textOf(entry.description));
  const dateText = atom
    ? (textOf(entry.published) ?? textOf(entry.updated))
    : (textOf(entry.pubDate) ?? textOf(entry["dc:date"]));
  const createdAt = dateText ? new Date(dateText) : null;
  if (!createdAt || Number.isNaN(createdAt.getTime()))
    return reject(`${atom ? "published/updated" : "pubDate"} "${dateText ?? ""}" is not a date`);
  const id = atom ? textOf(entry.id) : textOf(entry.guid);
  const author = atom
    ? textOf(isObject(entry.author) ? entry.author.name : entry.author)
    : (textOf(entry["dc:creator"]) ?? textOf(entry.author));
  return {
    kind: "mention",
    line: index,
    value: {
      externalId: id ?? link ?? `rss_${shortHash(title ?? "", dateText ?? "")}`,
      createdAt,
      url: link,
      author,
      title: title ? htmlToText(title) : null,
      body: html ? htmlToText(html) : null,
      engagement: 0,
      metadata: { format: atom ? "atom" : "rss" },
    },
  };
}

/** RSS 2.0 (`rss.channel.item`) and Atom (`feed.entry`) feeds; HTML descriptions become text. */
export const rssAdapter: Adapter = {
  name: "rss",
  kind: "social",
  description: "RSS 2.0 or Atom feed (items as mentions)",
  sniff(sample) {
    const head = sample.slice(0, 4000);
    if (/<rss[\s>]/i.test(head)) return 0.9;
    if (/<feed[\s>][^>]*xmlns=["']http:\/\/www\.w3\.org\/2005\/Atom/i.test(head)) return 0.9;
    return /^\s*(<\?xml[^>]*>\s*)?<feed[\s>]/i.test(head) ? 0.7 : 0;
  },
  async *parse(input, ctx) {
    const text = await readAllText(input);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      isArray: (name) => name === "item" || name === "entry",
    });
    let doc: unknown;
    try {
      doc = parser.parse(text, true);
    } catch (err) {
      throw new UnreadableInputError(`${ctx.fileName} is not well-formed XML: ${(err as Error).message}`);
    }
    const root = isObject(doc) ? doc : {};
    const rss = isObject(root.rss) ? root.rss : null;
    const channel = rss && isObject(rss.channel) ? rss.channel : null;
    const feed = isObject(root.feed) ? root.feed : null;
    if (!channel && !feed)
      throw new UnreadableInputError(`${ctx.fileName} is neither RSS 2.0 (<rss><channel>) nor Atom (<feed>)`);
    const entries = (channel ? channel.item : feed?.entry) ?? [];
    for (const [index, entry] of (Array.isArray(entries) ? entries : [entries]).entries()) {
      yield toItem(entry, index, !channel);
    }
  },
};
