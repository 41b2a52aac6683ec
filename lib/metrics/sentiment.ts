import vader from "vader-sentiment";

export type SentimentClass = "positive" | "neutral" | "negative";

/** VADER's standard cut-offs on the compound score. */
export const SENTIMENT_THRESHOLD = 0.05;

/** Texts with more sentences than this are scored per sentence and averaged. */
const WHOLE_TEXT_SENTENCES = 3;

/** Sentences of a text: split after . ! ? (runs allowed) or at line breaks; empty pieces dropped. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

const compound = (text: string): number => vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;

/**
 * Sentiment of a comment or mention in [-1, 1]: VADER's compound score (lexicon
 * with negation, intensifiers, capitals, punctuation and emoticons). VADER sums
 * word valences before normalising, so a long post would saturate near ±1; a
 * text of more than three sentences is therefore scored per sentence and the
 * sentence scores averaged. Empty text scores 0.
 */
export function scoreSentiment(text: string): number {
  const sentences = splitSentences(text);
  if (sentences.length === 0) return 0;
  if (sentences.length <= WHOLE_TEXT_SENTENCES) return compound(text);
  const sum = sentences.reduce((acc, s) => acc + compound(s), 0);
  return Math.round((sum / sentences.length) * 10_000) / 10_000;
}

/** Positive at or above +0.05, negative at or below -0.05, neutral between (VADER's convention). */
export function classifySentiment(score: number): SentimentClass {
  if (score >= SENTIMENT_THRESHOLD) return "positive";
  if (score <= -SENTIMENT_THRESHOLD) return "negative";
  return "neutral";
}

/**
 * Net sentiment = (positive − negative) / total, in [-1, 1] (BRIEF section 5):
 * neutral texts count in the total. Null when there are no scores.
 */
export function netSentiment(scores: number[]): number | null {
  const valid = scores.filter((s) => Number.isFinite(s));
  if (valid.length === 0) return null;
  let net = 0;
  for (const s of valid) {
    const c = classifySentiment(s);
    if (c === "positive") net += 1;
    else if (c === "negative") net -= 1;
  }
  return net / valid.length;
}
