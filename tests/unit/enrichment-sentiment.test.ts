import { describe, expect, it } from "vitest";
import { classifySentiment, netSentiment, scoreSentiment, splitSentences } from "../../lib/metrics/sentiment";

describe("scoreSentiment", () => {
  it("handles negation and intensifiers", () => {
    expect(scoreSentiment("good")).toBeGreaterThan(0.05);
    expect(scoreSentiment("not good")).toBeLessThan(0);
    expect(scoreSentiment("very good")).toBeGreaterThan(scoreSentiment("good"));
    expect(scoreSentiment("GOOD!!!")).toBeGreaterThan(scoreSentiment("good"));
    expect(scoreSentiment("The app crashes constantly, terrible.")).toBeLessThan(-0.05);
  });

  it("stays in [-1, 1] and scores empty text 0", () => {
    expect(scoreSentiment("")).toBe(0);
    expect(scoreSentiment("   ...  ")).toBe(0);
    for (const t of ["love love love!!!", "hate hate HATE!!!"]) {
      expect(Math.abs(scoreSentiment(t))).toBeLessThanOrEqual(1);
    }
  });

  it("averages sentences of a long text instead of saturating", () => {
    const sentences = [
      "I love it.",
      "The export is slow.",
      "Support was great.",
      "Pricing is fine.",
      "It is good.",
    ];
    const long = sentences.join(" ");
    const mean = sentences.reduce((a, s) => a + scoreSentiment(s), 0) / sentences.length;
    expect(scoreSentiment(long)).toBeCloseTo(mean, 4);
    const post = Array.from({ length: 200 }, () => "This is a good and useful tool.").join(" ");
    expect(scoreSentiment(post)).toBeCloseTo(scoreSentiment("This is a good and useful tool."), 4);
    expect(scoreSentiment(post)).toBeLessThan(0.9);
  });

  it("splits sentences on terminal punctuation and line breaks", () => {
    expect(splitSentences("One. Two!! Three?\nFour\n\n- ")).toEqual(["One.", "Two!!", "Three?", "Four"]);
  });
});

describe("classifySentiment and netSentiment", () => {
  it("uses VADER's ±0.05 thresholds", () => {
    expect(classifySentiment(0.05)).toBe("positive");
    expect(classifySentiment(0.0499)).toBe("neutral");
    expect(classifySentiment(-0.05)).toBe("negative");
  });

  it("is (positive − negative) / total, neutral counted in the total", () => {
    // 3 positive, 1 negative, 1 neutral: (3 - 1) / 5 = 0.4
    expect(netSentiment([0.8, 0.3, 0.05, -0.6, 0.01])).toBe(0.4);
    expect(netSentiment([-0.2, -0.9])).toBe(-1);
    expect(netSentiment([])).toBeNull();
  });
});
