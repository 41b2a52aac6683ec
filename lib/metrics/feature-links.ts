import { matchKeywordGroups } from "./text-match";

/**
 * Keys of the product features a text mentions, by the features' keywords,
 * with the same rules as themes (case-insensitive, whole words, inflections).
 */
export function linkFeatures(text: string, features: { key: string; keywords: string[] }[]): string[] {
  return matchKeywordGroups(
    text,
    features.map((f) => ({ name: f.key, keywords: f.keywords })),
  );
}
