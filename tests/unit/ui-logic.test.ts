import { describe, expect, it } from "vitest";
import { averageCurve } from "../../app/_components/retention-heatmap";
import { pickDefaultFunnel } from "../../lib/queries/dash-events";
import { likePattern, pickNotable, type VoiceItem } from "../../lib/queries/dash-voice";
import { formatDuration, formatNps, formatPercent, formatSentiment, formatValue } from "../../lib/ui/format";
import { rankMovers } from "../../lib/ui/movers";
import { flagSpikes } from "../../lib/ui/spikes";

describe("number formatting", () => {
  it("formats percentages with one decimal and signed scores", () => {
    expect(formatPercent(0.1234)).toBe("12.3%");
    expect(formatPercent(null)).toBe("–");
    expect(formatNps(23.44)).toBe("+23.4");
    expect(formatNps(-5)).toBe("-5.0");
    expect(formatSentiment(0.4)).toBe("+0.4");
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(200)).toBe("3m 20s");
    expect(formatDuration(7500)).toBe("2h 5m");
    expect(formatValue("count", 12_345)).toBe("12.3K");
    expect(formatValue("mean", 288.86)).toBe("289");
    expect(formatValue("mean", 2.345)).toBe("2.3");
  });
});

describe("top movers", () => {
  it("ranks by the size of the relative change and skips small or missing bases", () => {
    const movers = rankMovers([
      { group: "KPI", label: "A", kind: "count", current: 110, previous: 100 }, // +10%
      { group: "KPI", label: "B", kind: "count", current: 50, previous: 100 }, // -50%
      { group: "KPI", label: "C", kind: "count", current: 5, previous: 0 }, // no base
      { group: "Funnel step", label: "D", kind: "ratio", current: 0.9, previous: 0.3, base: 4 }, // tiny base
      { group: "KPI", label: "E", kind: "count", current: 130, previous: 100 }, // +30%
      { group: "KPI", label: "F", kind: "count", current: null, previous: 100 },
    ]);
    expect(movers.map((m) => [m.label, m.changeRatio])).toEqual([
      ["B", -0.5],
      ["E", 0.3],
      ["A", 0.1],
    ]);
  });
});

describe("mention spikes", () => {
  it("flags a week at twice its trailing mean and at least five mentions", () => {
    const weeks = [2, 2, 2, 2, 4, 9, 3, 0].map((count, i) => ({ week: `w${i}`, count }));
    const flagged = flagSpikes(weeks);
    expect(flagged[4]).toMatchObject({ trailingMean: 2, spike: false }); // 4 < 5
    expect(flagged[5]).toMatchObject({ trailingMean: 2.4, spike: true }); // 9 >= 4.8
    expect(flagged[6]?.spike).toBe(false);
    expect(flagged[0]?.trailingMean).toBeNull();
  });

  it("uses only the eight weeks before", () => {
    const weeks = [100, ...Array(8).fill(1), 5].map((count, i) => ({ week: `w${i}`, count }));
    expect(flagSpikes(weeks)[9]).toMatchObject({ trailingMean: 1, spike: true });
  });
});

describe("voice of the customer", () => {
  const item = (id: number, sentiment: number | null, engagement: number | null): VoiceItem => ({
    kind: engagement === null ? "comment" : "mention",
    id,
    source: "x",
    text: `t${id}`,
    url: null,
    author: null,
    at: "2026-11-20T00:00:00Z",
    sentiment,
    engagement,
    score: null,
    questionKind: null,
    themes: [],
    featureKeys: [],
  });

  it("picks the most negative, most positive and most engaged, each once", () => {
    const items = [
      item(1, 0.1, null),
      item(2, -0.9, null),
      item(3, 0.8, 5),
      item(4, -0.2, 300),
      item(5, 0.95, null),
    ];
    expect(pickNotable(items, 5).map((i) => i.id)).toEqual([2, 4, 5, 3, 1]);
    expect(pickNotable(items, 2).map((i) => i.id)).toEqual([2, 4]);
  });

  it("escapes LIKE wildcards in search text", () => {
    expect(likePattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
  });

  it("picks a default funnel from the acquisition events a product has", () => {
    expect(pickDefaultFunnel(["report_viewed", "pageview", "signed_up", "purchase"])).toEqual([
      "pageview",
      "signed_up",
      "purchase",
    ]);
    expect(pickDefaultFunnel(["a", "b", "c"])).toEqual(["a", "b"]);
  });
});

describe("average retention curve", () => {
  it("weights cohorts by size and leaves out cohorts that have not reached a week", () => {
    const curve = averageCurve(
      [
        { cohort: "2026-11-02", size: 10, retained: [10, 4, 2], rates: [1, 0.4, 0.2] },
        { cohort: "2026-11-09", size: 30, retained: [30, 6, null], rates: [1, 0.2, null] },
      ],
      3,
    );
    expect(curve).toEqual([
      { week: "W0", rate: 1, cohorts: 2 },
      { week: "W1", rate: 0.25, cohorts: 2 },
      { week: "W2", rate: 0.2, cohorts: 1 },
    ]);
  });
});
