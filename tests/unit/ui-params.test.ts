import { describe, expect, it } from "vitest";
import { feedbackParamsSchema } from "../../lib/ui/feedback-params";
import { funnelToQuery, readFunnelQuery } from "../../lib/ui/funnel-params";
import { nextPeriod } from "../../lib/ui/period-nav";
import { defaultPeriod, periodToParams, readPagePeriod } from "../../lib/ui/period-params";
import { retentionParamsSchema } from "../../lib/ui/retention-params";
import { buildQuery } from "../../lib/ui/search";

const NOW = new Date("2026-11-25T12:00:00Z"); // a Wednesday
const BERLIN = { timezone: "Europe/Berlin", weekStart: "monday" as const };

describe("period from the URL", () => {
  it("defaults to the last full week in the product's zone", () => {
    const p = readPagePeriod({}, BERLIN, NOW);
    expect(p.isDefault).toBe(true);
    expect(p.warning).toBeNull();
    expect(p.period.label).toBe("2026-W47");
    expect([p.period.firstDay, p.period.lastDay]).toEqual(["2026-11-16", "2026-11-22"]);
    // Local midnight in Berlin (UTC+1 in November).
    expect(p.period.start.toISOString()).toBe("2026-11-15T23:00:00.000Z");
    expect(p.previous.label).toBe("2026-W46");
  });

  it("takes a Sunday-week product's last full week from Sunday to Saturday", () => {
    const p = defaultPeriod(NOW, "America/New_York", "sunday");
    expect([p.firstDay, p.lastDay]).toEqual(["2026-11-15", "2026-11-21"]);
  });

  it("reads day, week, month and custom ranges, first value of repeated keys", () => {
    expect(readPagePeriod({ day: "2026-11-03" }, BERLIN, NOW).period.kind).toBe("day");
    expect(readPagePeriod({ week: ["2026-W45", "2026-W01"] }, BERLIN, NOW).period.firstDay).toBe(
      "2026-11-02",
    );
    const m = readPagePeriod({ month: "2026-10" }, BERLIN, NOW);
    expect([m.period.firstDay, m.period.lastDay, m.previous.label]).toEqual([
      "2026-10-01",
      "2026-10-31",
      "2026-09",
    ]);
    const c = readPagePeriod({ from: "2026-11-01", to: "2026-11-14" }, BERLIN, NOW);
    expect([c.previous.firstDay, c.previous.lastDay]).toEqual(["2026-10-18", "2026-10-31"]);
  });

  it("falls back to the default with the reason on a bad period", () => {
    const bad = readPagePeriod({ week: "2026-W99" }, BERLIN, NOW);
    expect(bad.isDefault).toBe(true);
    expect(bad.period.label).toBe("2026-W47");
    expect(bad.warning).toBe("2026 has no week 99; showing the last full week instead.");
    expect(readPagePeriod({ day: "2026-11-01", week: "2026-W45" }, BERLIN, NOW).warning).toContain(
      "exactly one",
    );
    expect(readPagePeriod({ from: "2026-11-09", to: "2026-11-01" }, BERLIN, NOW).warning).toContain("before");
  });

  it("round-trips through URL params and steps to the next period", () => {
    for (const search of [
      { week: "2026-W45" },
      { month: "2026-02" },
      { day: "2026-03-29" },
      { from: "2026-01-30", to: "2026-02-02" },
    ]) {
      const p = readPagePeriod(search, BERLIN, NOW).period;
      expect(periodToParams(p)).toEqual(search);
    }
    const week = readPagePeriod({ week: "2026-W52" }, BERLIN, NOW).period;
    expect(nextPeriod(week, "Europe/Berlin", "monday").label).toBe("2026-W53");
    const month = readPagePeriod({ month: "2026-12" }, BERLIN, NOW).period;
    expect(nextPeriod(month, "Europe/Berlin", "monday").label).toBe("2027-01");
    const custom = readPagePeriod({ from: "2026-01-30", to: "2026-02-02" }, BERLIN, NOW).period;
    const after = nextPeriod(custom, "Europe/Berlin", "monday");
    expect([after.firstDay, after.lastDay]).toEqual(["2026-02-03", "2026-02-06"]);
  });
});

describe("funnel from the URL", () => {
  it("uses the default steps when none are given", () => {
    const q = readFunnelQuery({}, ["pageview", "signed_up"]);
    expect(q.custom).toBe(false);
    expect(q.steps).toEqual([{ event: "pageview" }, { event: "signed_up" }]);
    expect([q.windowText, q.windowMs, q.mode]).toEqual(["14d", 14 * 86_400_000, "sequential"]);
    expect(q.problems).toEqual([]);
  });

  it("reads steps with filters, window, mode, exclusions and breakdown", () => {
    const q = readFunnelQuery(
      {
        step: ["pageview", "signed_up[plan=pro&utm~ads]"],
        window: "2h",
        mode: "strict",
        exclude: "churned",
        breakdown: "country",
      },
      ["a", "b"],
    );
    expect(q.steps[1]).toEqual({
      event: "signed_up",
      filters: [
        { property: "plan", op: "eq", value: "pro" },
        { property: "utm", op: "contains", value: "ads" },
      ],
    });
    expect([q.windowMs, q.mode, q.exclusions, q.breakdown]).toEqual([
      7_200_000,
      "strict",
      ["churned"],
      "country",
    ]);
  });

  it("explains and falls back on a bad funnel", () => {
    const one = readFunnelQuery({ step: "pageview", window: "forever", mode: "sideways" }, ["a", "b"]);
    expect(one.steps.map((s) => s.event)).toEqual(["a", "b"]);
    expect(one.mode).toBe("sequential");
    expect(one.windowText).toBe("14d");
    expect(one.problems).toHaveLength(2);
  });

  it("writes a saved definition back as URL params", () => {
    const query = funnelToQuery({
      steps: [
        { event: "pageview" },
        { event: "signed_up", filters: [{ property: "plan", op: "neq", value: "free" }] },
      ],
      windowSeconds: 7200,
      mode: "any",
      exclusions: ["refund"],
    });
    expect(query).toBe("?step=pageview&step=signed_up%5Bplan%21%3Dfree%5D&window=2h&mode=any&exclude=refund");
    const params = new URLSearchParams(query);
    const back = readFunnelQuery(
      { step: params.getAll("step"), window: params.get("window") ?? undefined },
      [],
    );
    expect(back.windowMs).toBe(7_200_000);
    expect(back.steps[1]?.filters).toEqual([{ property: "plan", op: "neq", value: "free" }]);
  });
});

describe("other route schemas", () => {
  it("defaults retention to 'on' and ignores unknown modes", () => {
    expect(retentionParamsSchema.parse({})).toEqual({ mode: "on", start: undefined });
    expect(retentionParamsSchema.parse({ mode: "on_or_after", start: "signed_up" }).mode).toBe("on_or_after");
    expect(retentionParamsSchema.parse({ mode: "sideways" }).mode).toBe("on");
  });

  it("keeps known verbatim filters and drops the rest", () => {
    expect(feedbackParamsSchema.parse({ score: "detractor", q: " export ", theme: "" })).toEqual({
      score: "detractor",
      q: "export",
      theme: undefined,
      feature: undefined,
      source: undefined,
    });
    expect(feedbackParamsSchema.parse({ score: "11" }).score).toBeUndefined();
  });

  it("builds query strings without empty values", () => {
    expect(buildQuery({ a: "1", b: undefined, c: "", d: ["x", "y"] })).toBe("?a=1&d=x&d=y");
    expect(buildQuery({})).toBe("");
  });
});
