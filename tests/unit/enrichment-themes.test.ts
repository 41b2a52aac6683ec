import { describe, expect, it } from "vitest";
import { linkFeatures } from "../../lib/metrics/feature-links";
import { keywordPattern } from "../../lib/metrics/text-match";
import { extractKeyPhrases, tagThemes } from "../../lib/metrics/themes";

const THEMES = [
  { name: "pricing", keywords: ["price", "expensive", "billing"] },
  { name: "export", keywords: ["export", "csv download"] },
  { name: "onboarding", keywords: ["sign up", "onboarding"] },
];

describe("tagThemes", () => {
  it("matches case-insensitively, as whole words, with inflections", () => {
    expect(tagThemes("Exporting to PDF is slow", THEMES)).toEqual(["export"]);
    expect(tagThemes("Too EXPENSIVE; pricing changed", THEMES)).toEqual(["pricing"]);
    expect(tagThemes("The exports fail and signing up was hard", THEMES)).toEqual(["export"]);
    expect(tagThemes("Sign-up was easy, prices are fair", THEMES)).toEqual(["pricing", "onboarding"]);
  });

  it("does not match inside other words ('export' vs 'exporter', 'reexport')", () => {
    expect(tagThemes("The exporter tool and reexport script", THEMES)).toEqual([]);
    expect(tagThemes("priceless", THEMES)).toEqual([]);
  });

  it("matches multi-word keywords across spaces, hyphens and underscores", () => {
    expect(tagThemes("the CSV  downloads are broken", THEMES)).toEqual(["export"]);
    expect(tagThemes("csv_download", THEMES)).toEqual(["export"]);
    expect(tagThemes("download the csv", THEMES)).toEqual([]);
  });

  it("treats a plural keyword as its singular too", () => {
    expect(keywordPattern("exports")?.test("one export")).toBe(true);
    expect(keywordPattern("  ")).toBeNull();
    expect(keywordPattern("ship")?.test("shipping soon")).toBe(true);
    expect(keywordPattern("company")?.test("companies")).toBe(true);
  });
});

describe("linkFeatures", () => {
  it("returns the keys of mentioned features, in configuration order", () => {
    const features = [
      { key: "dashboards", keywords: ["dashboard"] },
      { key: "alerts", keywords: ["alert", "notification"] },
    ];
    expect(linkFeatures("Notifications and dashboards both broke", features)).toEqual([
      "dashboards",
      "alerts",
    ]);
    expect(linkFeatures("nothing here", features)).toEqual([]);
  });
});

describe("extractKeyPhrases", () => {
  const corpus = [
    "The CSV export is slow",
    "csv export fails again!",
    "I love the dark mode",
    "Dark mode please, and CSV export",
    "Slow sync",
  ];

  it("counts stop-word-free 1-3-grams once per text and drops phrases subsumed at the same count", () => {
    expect(extractKeyPhrases(corpus)).toEqual([
      { phrase: "csv export", count: 3 },
      { phrase: "dark mode", count: 2 },
      { phrase: "slow", count: 2 },
    ]);
  });

  it("applies minCount and limit", () => {
    expect(extractKeyPhrases(corpus, { minCount: 3 })).toEqual([{ phrase: "csv export", count: 3 }]);
    expect(extractKeyPhrases(corpus, { limit: 1 })).toEqual([{ phrase: "csv export", count: 3 }]);
    expect(extractKeyPhrases(["export export export"], { minCount: 1 })).toEqual([
      { phrase: "export export export", count: 1 },
    ]);
  });

  it("does not join words across punctuation", () => {
    expect(extractKeyPhrases(["pricing, support", "pricing. support"], { minCount: 2 })).toEqual([
      { phrase: "pricing", count: 2 },
      { phrase: "support", count: 2 },
    ]);
  });
});
