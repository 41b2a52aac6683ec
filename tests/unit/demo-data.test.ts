import { describe, expect, it } from "vitest";
import { type DemoDataset, type DemoProduct, generateDemo } from "../../db/seed/demo-data";
import type { NormalizedEvent } from "../../ingest/normalized";
import { validateEvent, validateMention, validateSurveyResponse } from "../../ingest/validate";

const END = new Date("2026-03-16T00:00:00Z");
const DAYS = 120;
const DAY_MS = 86_400_000;
const START_MS = END.getTime() - DAYS * DAY_MS;
const SLOW = 120_000;

/** Everything the assertions need from one pass over a product's events. */
interface EventSummary {
  count: number;
  fingerprint: number;
  first: NormalizedEvent[];
  uniqueMessageIds: number;
  invalid: string[];
  outOfRange: number;
  names: Map<string, number>;
  funnel: number[];
  identifies: number;
  linkedAfterAnonymous: number;
  daytimeShare: number;
  weekendRatio: number;
  timestamps: number[][];
}

function hashText(h: number, text: string): number {
  let x = h;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 16777619);
  return x >>> 0;
}

function eventKey(e: NormalizedEvent): string {
  return `${e.messageId}|${e.timestamp.getTime()}|${e.event}|${e.type}|${e.userId}|${e.anonymousId}|${e.sessionId}|${e.path}`;
}

function summarizeEvents(data: DemoDataset, product: DemoProduct): EventSummary {
  const local = new Intl.DateTimeFormat("en-US", {
    timeZone: product.timezone,
    weekday: "short",
    hour: "2-digit",
    hourCycle: "h23",
  });
  const messageIds = new Set<string>();
  const names = new Map<string, number>();
  const anonymousOnly = new Set<string>();
  const links = new Map<string, string>();
  const steps = product.funnel.steps.map(() => new Set<string>());
  const byWeekday = new Map<string, number>();
  const featureNames = new Set(product.features.flatMap((f) => f.eventNames));
  const timestamps = product.features.map(() => [] as number[]);
  const s: EventSummary = {
    count: 0,
    fingerprint: 2166136261,
    first: [],
    uniqueMessageIds: 0,
    invalid: [],
    outOfRange: 0,
    names,
    funnel: [],
    identifies: 0,
    linkedAfterAnonymous: 0,
    daytimeShare: 0,
    weekendRatio: 0,
    timestamps,
  };
  let daytime = 0;
  for (const e of data.events(product.slug)) {
    s.count++;
    s.fingerprint = hashText(s.fingerprint, eventKey(e));
    if (s.first.length < 25) s.first.push(e);
    messageIds.add(e.messageId);
    const problem = validateEvent(e, END);
    if (problem && s.invalid.length < 5) s.invalid.push(`${e.messageId}: ${problem}`);
    const ms = e.timestamp.getTime();
    if (ms < START_MS || ms >= END.getTime()) s.outOfRange++;
    names.set(e.event, (names.get(e.event) ?? 0) + 1);
    if (e.type === "identify" && e.userId && e.anonymousId) {
      s.identifies++;
      if (anonymousOnly.has(e.anonymousId) && !links.has(e.anonymousId)) s.linkedAfterAnonymous++;
    }
    if (e.anonymousId && e.userId && !links.has(e.anonymousId)) links.set(e.anonymousId, e.userId);
    if (e.anonymousId && !e.userId) anonymousOnly.add(e.anonymousId);
    const actor = e.userId ?? (e.anonymousId ? links.get(e.anonymousId) : undefined) ?? e.anonymousId ?? "";
    product.funnel.steps.forEach((step, i) => {
      if (e.event === step) steps[i]?.add(actor);
    });
    if (featureNames.has(e.event)) {
      product.features.forEach((f, i) => {
        if (f.eventNames.includes(e.event)) timestamps[i]?.push(ms);
      });
    }
    const [day = "", hour = "0"] = local.format(e.timestamp).split(", ");
    byWeekday.set(day, (byWeekday.get(day) ?? 0) + 1);
    if (Number(hour) >= 7 && Number(hour) <= 23) daytime++;
  }
  const weekdayMean =
    ["Mon", "Tue", "Wed", "Thu", "Fri"].reduce((sum, d) => sum + (byWeekday.get(d) ?? 0), 0) / 5;
  const weekendMean = ((byWeekday.get("Sat") ?? 0) + (byWeekday.get("Sun") ?? 0)) / 2;
  s.uniqueMessageIds = messageIds.size;
  s.funnel = steps.map((set) => set.size);
  s.daytimeShare = daytime / s.count;
  s.weekendRatio = weekendMean / weekdayMean;
  return s;
}

const demo = generateDemo({ end: END, seed: 7 });
const summaries = new Map<string, EventSummary>();

function summaryOf(product: DemoProduct): EventSummary {
  let s = summaries.get(product.slug);
  if (!s) {
    s = summarizeEvents(demo, product);
    summaries.set(product.slug, s);
  }
  return s;
}

function firstN<T>(items: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length >= n) break;
    out.push(item);
  }
  return out;
}

function countOf(items: Iterable<unknown>): number {
  let n = 0;
  for (const _ of items) n++;
  return n;
}

describe("generateDemo products", () => {
  it("describes three distinct products with zones, week starts and configuration", () => {
    const products = demo.products;
    expect(products).toHaveLength(3);
    expect(new Set(products.map((p) => p.slug)).size).toBe(3);
    expect(new Set(products.map((p) => p.name)).size).toBe(3);
    expect(new Set(products.map((p) => p.timezone)).size).toBe(3);
    expect(products.some((p) => p.weekStart === "sunday")).toBe(true);
    for (const p of products) {
      expect(p.features.length).toBeGreaterThanOrEqual(5);
      expect(new Set(p.features.map((f) => f.key)).size).toBe(p.features.length);
      for (const f of p.features) {
        expect(f.eventNames.length).toBeGreaterThan(0);
        expect(f.keywords.length).toBeGreaterThan(0);
      }
      expect(p.themes.length).toBeGreaterThan(0);
      expect(p.goals).toContain("signed_up");
      expect(p.annotations.length).toBeGreaterThanOrEqual(1);
      for (const a of p.annotations) {
        expect(a.kind).toBe("release");
        expect(a.occurredAt.getTime()).toBeGreaterThanOrEqual(START_MS);
        expect(a.occurredAt.getTime()).toBeLessThan(END.getTime());
      }
    }
  });

  it("places release annotations at 10:00 local time, across DST changes too", () => {
    for (const end of [END, new Date("2026-04-20T12:00:00Z"), new Date("2025-11-10T00:00:00Z")]) {
      for (const p of generateDemo({ end, days: 90 }).products) {
        const hour = new Intl.DateTimeFormat("en-US", {
          timeZone: p.timezone,
          hour: "2-digit",
          hourCycle: "h23",
        });
        for (const a of p.annotations) expect(hour.format(a.occurredAt)).toBe("10");
      }
    }
  });

  it("rejects invalid options and unknown products", () => {
    expect(() => generateDemo({ end: new Date("nope") })).toThrow(RangeError);
    expect(() => generateDemo({ end: END, days: 0 })).toThrow(RangeError);
    expect(() => generateDemo({ end: END, scale: -1 })).toThrow(RangeError);
    expect(() => demo.events("nope").next()).toThrow(/unknown demo product/);
  });
});

describe("generateDemo determinism", () => {
  it(
    "yields identical sequences for the same seed and end, whatever the call order",
    () => {
      const again = generateDemo({ end: new Date(END.getTime()), seed: 7 });
      for (const p of again.products) {
        // Surveys and mentions first, then events: the order must not matter.
        expect(firstN(again.surveys(p.slug), 30)).toEqual(firstN(demo.surveys(p.slug), 30));
        expect(firstN(again.mentions(p.slug), 30)).toEqual(firstN(demo.mentions(p.slug), 30));
        expect(countOf(again.surveys(p.slug))).toBe(countOf(demo.surveys(p.slug)));
        expect(countOf(again.mentions(p.slug))).toBe(countOf(demo.mentions(p.slug)));
        let count = 0;
        let fingerprint = 2166136261;
        for (const e of again.events(p.slug)) {
          count++;
          fingerprint = hashText(fingerprint, eventKey(e));
        }
        const first = summaryOf(p);
        expect(count).toBe(first.count);
        expect(fingerprint).toBe(first.fingerprint);
        expect(firstN(again.events(p.slug), 25)).toEqual(first.first);
      }
    },
    SLOW,
  );

  it("differs for a different seed", () => {
    const other = generateDemo({ end: END, seed: 8 });
    for (const p of other.products) {
      const key = (events: NormalizedEvent[]) => events.map(eventKey).join("\n");
      expect(key(firstN(other.events(p.slug), 50))).not.toBe(key(firstN(demo.events(p.slug), 50)));
      expect(firstN(other.surveys(p.slug), 10)).not.toEqual(firstN(demo.surveys(p.slug), 10));
      expect(firstN(other.mentions(p.slug), 10)).not.toEqual(firstN(demo.mentions(p.slug), 10));
    }
  });

  it("honours a short range and a scale", () => {
    const small = generateDemo({ end: END, days: 7, scale: 0.5 });
    const start = END.getTime() - 7 * DAY_MS;
    for (const p of small.products) {
      let n = 0;
      for (const e of small.events(p.slug)) {
        n++;
        expect(e.timestamp.getTime()).toBeGreaterThanOrEqual(start);
        expect(e.timestamp.getTime()).toBeLessThan(END.getTime());
      }
      expect(n).toBeGreaterThan(0);
    }
  });
});

describe("generateDemo events", () => {
  it(
    "are valid, in range and have unique message ids per product",
    () => {
      for (const p of demo.products) {
        const s = summaryOf(p);
        expect(s.invalid).toEqual([]);
        expect(s.outOfRange).toBe(0);
        expect(s.uniqueMessageIds).toBe(s.count);
      }
    },
    SLOW,
  );

  it(
    "total 250k-350k across the portfolio at scale 1, largest product first",
    () => {
      const counts = demo.products.map((p) => summaryOf(p).count);
      const total = counts.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThanOrEqual(250_000);
      expect(total).toBeLessThanOrEqual(350_000);
      expect(counts[0]).toBeGreaterThan(counts[1] ?? 0);
      expect(counts[1]).toBeGreaterThan(counts[2] ?? 0);
    },
    SLOW,
  );

  it(
    "convert through each product's funnel with strictly decreasing actors",
    () => {
      for (const p of demo.products) {
        const [visitors = 0, signedUp = 0, activated = 0, paid = 0] = summaryOf(p).funnel;
        expect(signedUp).toBeGreaterThan(0);
        expect(visitors).toBeGreaterThan(signedUp);
        expect(signedUp).toBeGreaterThan(activated);
        expect(activated).toBeGreaterThan(paid);
        expect(paid).toBeGreaterThan(0);
      }
    },
    SLOW,
  );

  it(
    "use every feature's event names, and a release makes one feature jump",
    () => {
      let jumps = 0;
      for (const p of demo.products) {
        const s = summaryOf(p);
        for (const f of p.features)
          for (const name of f.eventNames) expect(s.names.get(name) ?? 0).toBeGreaterThan(0);
        for (const a of p.annotations) {
          const t = a.occurredAt.getTime();
          const window = 14 * DAY_MS;
          for (const times of s.timestamps) {
            const before = times.filter((ms) => ms >= t - window && ms < t).length;
            const after = times.filter((ms) => ms >= t && ms < t + window).length;
            if (after > 3 * Math.max(before, 5)) jumps++;
          }
        }
      }
      expect(jumps).toBeGreaterThanOrEqual(1);
    },
    SLOW,
  );

  it(
    "link anonymous visitors to users with identify events",
    () => {
      for (const p of demo.products) {
        const s = summaryOf(p);
        expect(s.names.get("identify")).toBe(s.identifies);
        expect(s.identifies).toBeGreaterThan(0);
        expect(s.linkedAfterAnonymous).toBeGreaterThan(0);
      }
    },
    SLOW,
  );

  it(
    "happen mostly in local daytime, with quieter weekends for the B2B product",
    () => {
      for (const p of demo.products) expect(summaryOf(p).daytimeShare).toBeGreaterThan(0.8);
      const [atlas, pulse] = demo.products;
      if (!atlas || !pulse) throw new Error("missing products");
      expect(summaryOf(atlas).weekendRatio).toBeLessThan(0.65);
      expect(summaryOf(pulse).weekendRatio).toBeGreaterThan(0.8);
    },
    SLOW,
  );

  it("carry UTM fields on some first visits and session ids on every non-identify event", () => {
    for (const p of demo.products) {
      const sample = firstN(demo.events(p.slug), 5000);
      expect(sample.some((e) => e.utmSource && e.utmMedium && e.type === "page")).toBe(true);
      expect(sample.filter((e) => e.type !== "identify").every((e) => e.sessionId && e.path)).toBe(true);
      expect(sample.every((e) => e.country && e.device && e.browser && e.os)).toBe(true);
    }
  });
});

describe("generateDemo surveys", () => {
  it("are valid, in range, unique and on their scales", () => {
    for (const p of demo.products) {
      const ids = new Set<string>();
      let promoters = 0;
      let detractors = 0;
      let nps = 0;
      let total = 0;
      for (const r of demo.surveys(p.slug)) {
        total++;
        ids.add(r.externalId);
        expect(validateSurveyResponse(r, END)).toBeNull();
        expect(r.submittedAt.getTime()).toBeGreaterThanOrEqual(START_MS);
        expect(r.submittedAt.getTime()).toBeLessThan(END.getTime());
        if (r.questionKind === "nps") {
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(10);
          expect([r.scaleMin, r.scaleMax]).toEqual([0, 10]);
          expect(r.question).toBe(`How likely are you to recommend ${p.name} to a friend or colleague?`);
          nps++;
          if ((r.score ?? 0) >= 9) promoters++;
          if ((r.score ?? 10) <= 6) detractors++;
        } else if (r.questionKind === "csat") {
          expect(r.score).toBeGreaterThanOrEqual(1);
          expect(r.score).toBeLessThanOrEqual(5);
        } else {
          expect(r.score).toBeNull();
          expect(r.comment).toBeTruthy();
        }
      }
      expect(ids.size).toBe(total);
      expect(total).toBeGreaterThan(100);
      const score = (100 * (promoters - detractors)) / nps;
      expect(score).toBeGreaterThan(5);
      expect(score).toBeLessThan(60);
    }
  });

  it("include detractor comments that name a feature keyword", () => {
    for (const p of demo.products) {
      const keywords = p.features.flatMap((f) => f.keywords.map((k) => k.toLowerCase()));
      const detractorComments = [...demo.surveys(p.slug)]
        .filter((r) => r.questionKind === "nps" && (r.score ?? 10) <= 6 && r.comment)
        .map((r) => (r.comment ?? "").toLowerCase());
      expect(detractorComments.some((c) => keywords.some((k) => c.includes(k)))).toBe(true);
    }
  });

  it(
    "mostly link respondents to user ids that occur in the events",
    () => {
      for (const p of demo.products) {
        const responses = [...demo.surveys(p.slug)];
        const linked = responses.filter((r) => r.userId);
        expect(linked.length / responses.length).toBeGreaterThan(0.7);
        const users = new Set<string>();
        for (const e of demo.events(p.slug)) if (e.userId) users.add(e.userId);
        expect(linked.every((r) => users.has(r.userId ?? ""))).toBe(true);
      }
    },
    SLOW,
  );
});

describe("generateDemo mentions", () => {
  it("are valid, in range and unique per source, with ratings on store reviews", () => {
    for (const p of demo.products) {
      const ids = new Set<string>();
      const sources = new Set<string>();
      let total = 0;
      for (const { source, mention } of demo.mentions(p.slug)) {
        total++;
        sources.add(source);
        ids.add(`${source}:${mention.externalId}`);
        expect(validateMention(mention, END)).toBeNull();
        expect(mention.createdAt.getTime()).toBeGreaterThanOrEqual(START_MS);
        expect(mention.createdAt.getTime()).toBeLessThan(END.getTime());
        expect(mention.url).toMatch(/^https:\/\//);
        if (source === "appstore" || source === "googleplay") {
          expect(mention.rating).toBeGreaterThanOrEqual(1);
          expect(mention.rating).toBeLessThanOrEqual(5);
        }
        if (source === "hn") expect(mention.url).toMatch(/^https:\/\/news\.ycombinator\.com\/item\?id=\d+$/);
      }
      expect(ids.size).toBe(total);
      expect(sources.size).toBeGreaterThanOrEqual(3);
      expect(total).toBeGreaterThan(30);
    }
  });
});
