import { eng } from "stopword";
import { matchKeywordGroups } from "./text-match";

/**
 * Themes a text touches: a theme matches when any of its keywords occurs as a
 * whole word (case-insensitive; "export" matches "exports", "exporting" but
 * not "exporter"). Theme order follows the product's configuration.
 */
export function tagThemes(text: string, themes: { name: string; keywords: string[] }[]): string[] {
  return matchKeywordGroups(text, themes);
}

const STOP = new Set([
  ...eng,
  "im",
  "ive",
  "dont",
  "doesnt",
  "cant",
  "wont",
  "isnt",
  "didnt",
  "thats",
  "it's",
  "i'm",
]);

/** Lower-case word runs split where a stop word, number or punctuation stood: n-grams never span them. */
function segments(text: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) out.push(current);
    current = [];
  };
  const parts = text.toLowerCase().split(/([^\p{L}\p{N}']+)/u);
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 1) {
      // Punctuation between words ends a phrase; plain spaces and hyphens do not.
      if (/[^\s-]/.test(part)) flush();
      continue;
    }
    const word = part.replace(/^'+|'+$/g, "");
    if (word === "") continue;
    const isWord = /^\p{L}[\p{L}\p{N}']*$/u.test(word) && word.length >= 2;
    if (!isWord || STOP.has(word) || STOP.has(word.replace(/'/g, ""))) flush();
    else current.push(word);
  }
  flush();
  return out;
}

/**
 * Frequent 1-3 word phrases across texts, for spotting themes nobody configured
 * yet. Stop words (the `stopword` package's English list) break phrases; a
 * phrase counts once per text; phrases seen in fewer than `minCount` texts
 * (default 2) are dropped, and so is a phrase contained in a longer phrase with
 * the same count (the longer one says more). Ranked by count, then by words
 * (longer first), then alphabetically; at most `limit` (default 20).
 */
export function extractKeyPhrases(
  texts: string[],
  opts: { limit?: number; minCount?: number } = {},
): { phrase: string; count: number }[] {
  const limit = opts.limit ?? 20;
  const minCount = opts.minCount ?? 2;
  const counts = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const seg of segments(text)) {
      for (let n = 1; n <= 3; n++) {
        for (let i = 0; i + n <= seg.length; i++) seen.add(seg.slice(i, i + n).join(" "));
      }
    }
    for (const p of seen) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const kept = [...counts].filter(([, c]) => c >= minCount);
  const words = (p: string) => p.split(" ").length;
  const subsumed = (p: string, c: number) =>
    kept.some(([q, qc]) => qc === c && words(q) > words(p) && ` ${q} `.includes(` ${p} `));
  return kept
    .filter(([p, c]) => !subsumed(p, c))
    .sort(([a, ca], [b, cb]) => cb - ca || words(b) - words(a) || a.localeCompare(b))
    .slice(0, limit)
    .map(([phrase, count]) => ({ phrase, count }));
}
