import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnreadableInputError } from "../../../ingest/adapters/types";
import { WEB_ADAPTERS } from "../../../ingest/adapters/web";
import { normalizeCountry } from "../../../ingest/adapters/web/country";
import { parseTimestamp } from "../../../ingest/adapters/web/time";
import { parseUserAgent } from "../../../ingest/adapters/web/user-agent";
import { collect, errorOf, REAL, realDir } from "./web-helpers";

function pick(sample: string, fileName: string): string | null {
  let best: { name: string; c: number } | null = null;
  for (const a of WEB_ADAPTERS) {
    const c = a.sniff(sample, fileName);
    if (c > (best?.c ?? 0)) best = { name: a.name, c };
  }
  return best && best.c >= 0.5 ? best.name : null;
}

describe("sniffing hand-written samples", () => {
  const cases: [string, string, string | null][] = [
    ['{"type":"track","event":"x","userId":"u","messageId":"m"}\n', "a.jsonl", "segment"],
    ['{"batch":[{"type":"page","anonymousId":"a"}]}', "b.json", "segment"],
    ['{"event":"$pageview","distinct_id":"d","properties":{}}\n', "p.jsonl", "posthog"],
    ['{"api_key":"k","batch":[{"event":"e","properties":{"distinct_id":"d"}}]}', "p.json", "posthog"],
    ['{"event":"e","properties":{"time":1,"distinct_id":"d","$insert_id":"i"}}\n', "m.jsonl", "mixpanel"],
    [
      '{"event_date":"20240101","event_timestamp":"1","event_name":"x","user_pseudo_id":"p"}\n',
      "g.json",
      "ga4",
    ],
    ["website_id,session_id,visit_id,event_id,url_path,event_type,created_at\n", "u.csv", "umami"],
    ['"date","visitors","pageviews"\n', "imported_visitors_20240101_20240102.csv", "plausible"],
    ["date,page,hostname,visitors\n", "export.csv", "plausible"],
    ["ts,event,user\n", "x.csv", null],
    ["[1, 2, 3]", "x.json", null],
  ];
  it.each(cases)("%s -> %s", (sample, fileName, expected) => {
    expect(pick(sample, fileName)).toBe(expected);
  });
});

const expected: [string, string][] = [
  ["segment", "segment"],
  ["posthog", "posthog"],
  ["mixpanel", "mixpanel"],
  ["ga4-bigquery", "ga4"],
  ["umami", "umami"],
  ["plausible/csv-export-docs-examples", "plausible"],
];
const real = realDir("");
describe.skipIf(!real.present)(`sniffing ${real.title}`, () => {
  it.each(expected)("every file in %s is sniffed as %s, whole or cut short", (sub, name) => {
    const files = readdirSync(join(REAL, sub));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(REAL, sub, f), "utf8");
      expect([f, pick(text, f)]).toEqual([f, name]);
      expect([f, pick(text.slice(0, 600), f)]).toEqual([f, name]);
    }
  });
});

describe("shared parsing helpers", () => {
  it("classifies common user agents", () => {
    const ua = (s: string) => Object.values(parseUserAgent(s));
    expect(
      ua(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
      ),
    ).toEqual(["Edge", "Windows", "desktop"]);
    expect(
      ua(
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
      ),
    ).toEqual(["Chrome Mobile", "Android", "mobile"]);
    expect(
      ua(
        "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
      ),
    ).toEqual(["Mobile Safari", "iPadOS", "tablet"]);
    expect(ua("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")).toEqual([
      "Firefox",
      "Linux",
      "desktop",
    ]);
    expect(ua("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")).toEqual([
      null,
      null,
      "bot",
    ]);
    expect(ua("")).toEqual([null, null, null]);
  });
  it("parses timestamps strictly, guessing epoch units by size", () => {
    expect(parseTimestamp("2024-02-29 23:59:59")?.toISOString()).toBe("2024-02-29T23:59:59.000Z");
    expect(parseTimestamp("2024-02-30T00:00:00Z")).toBeNull();
    expect(parseTimestamp("2024-01-01T00:00:00.5-0130")?.toISOString()).toBe("2024-01-01T01:30:00.500Z");
    expect(parseTimestamp(1700000000.5)?.toISOString()).toBe("2023-11-14T22:13:20.500Z");
    expect(parseTimestamp("1700000000000")?.toISOString()).toBe("2023-11-14T22:13:20.000Z");
    expect(parseTimestamp("1700000000000000")?.toISOString()).toBe("2023-11-14T22:13:20.000Z");
    expect(parseTimestamp("Tuesday")).toBeNull();
    expect(parseTimestamp("2024-07-01 12:00:00", "America/New_York")?.toISOString()).toBe(
      "2024-07-01T16:00:00.000Z",
    );
  });
  it("maps country names to ISO codes and keeps unknown names", () => {
    expect([
      normalizeCountry("India"),
      normalizeCountry("us"),
      normalizeCountry("(not set)"),
      normalizeCountry("Narnia"),
    ]).toEqual(["IN", "US", null, "Narnia"]);
  });
});

describe("whole-input failures", () => {
  const gzip = new Uint8Array([
    0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0x4b, 0x4c, 0x4a, 0x06, 0x00, 0, 0, 0,
  ]);
  it.each(WEB_ADAPTERS.filter((a) => a.name !== "csv").map((a) => [a.name, a] as const))(
    "%s refuses binary input with an UnreadableInputError",
    async (_name, adapter) => {
      const err = await errorOf(() => collect(adapter, gzip));
      expect(err).toBeInstanceOf(UnreadableInputError);
      expect(err.message).toMatch(/binary file/);
    },
  );
  it("an empty input yields nothing", async () => {
    for (const adapter of WEB_ADAPTERS) expect(await collect(adapter, "")).toEqual([]);
  });
});
