const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Regex source for a word and its regular inflections: export → exports, exported, exporting; price → pricing. */
function inflected(word: string): string {
  const w = escapeRegex(word);
  const forms = [`${w}(?:s|es|ed|d|ing)?`];
  if (word.endsWith("e")) forms.push(`${escapeRegex(word.slice(0, -1))}(?:ing|ed)`);
  if (word.endsWith("y")) forms.push(`${escapeRegex(word.slice(0, -1))}(?:ies|ied)`);
  // Doubled final consonant: ship → shipping, shipped.
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(word)) forms.push(`${w}${escapeRegex(word.slice(-1))}(?:ing|ed)`);
  return `(?:${forms.join("|")})`;
}

/**
 * A matcher for one keyword: case-insensitive, whole words only (letters and
 * digits on either side break the match, so "export" does not match
 * "exporter" or "reexport"), several words separated by any run of spaces,
 * hyphens or underscores, and regular inflections of the last word. A keyword
 * written in the plural ("exports") also matches the singular.
 */
export function keywordPattern(keyword: string): RegExp | null {
  const words = keyword
    .toLowerCase()
    .trim()
    .split(/[\s_-]+/)
    .filter(Boolean);
  if (words.length === 0) return null;
  const last = words.pop() as string;
  const base = last.length > 3 && last.endsWith("s") && !last.endsWith("ss") ? last.slice(0, -1) : last;
  const parts = [...words.map(escapeRegex), inflected(base)];
  return new RegExp(`(?<![\\p{L}\\p{N}])${parts.join("[\\s_-]+")}(?![\\p{L}\\p{N}])`, "iu");
}

/** Names of the groups any of whose keywords occurs in the text, in the order given, without repeats. */
export function matchKeywordGroups(text: string, groups: { name: string; keywords: string[] }[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    if (out.includes(g.name)) continue;
    if (g.keywords.some((k) => keywordPattern(k)?.test(text))) out.push(g.name);
  }
  return out;
}
