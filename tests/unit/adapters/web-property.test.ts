import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Adapter, UnreadableInputError } from "../../../ingest/adapters/types";
import { WEB_ADAPTERS } from "../../../ingest/adapters/web";
import type { IngestItem } from "../../../ingest/normalized";
import { validateDailyStat, validateEvent } from "../../../ingest/validate";
import { collect, FAR_FUTURE, makeCtx } from "./web-helpers";

/** Keys each format reads, so random records reach the converters' paths instead of failing early. */
const KEYS: Record<string, string[]> = {
  segment: [
    "type",
    "event",
    "userId",
    "anonymousId",
    "messageId",
    "timestamp",
    "originalTimestamp",
    "sentAt",
    "receivedAt",
    "previousId",
    "name",
    "properties",
    "traits",
    "context",
  ],
  posthog: ["event", "distinct_id", "uuid", "timestamp", "offset", "sent_at", "properties", "$set"],
  mixpanel: ["event", "properties"],
  ga4: [
    "event_name",
    "event_timestamp",
    "event_params",
    "user_id",
    "user_pseudo_id",
    "device",
    "geo",
    "traffic_source",
    "collected_traffic_source",
  ],
};
const NESTED = [
  "time",
  "distinct_id",
  "$insert_id",
  "$user_id",
  "$device_id",
  "$current_url",
  "$session_id",
  "$os",
  "page",
  "url",
  "campaign",
  "userAgent",
  "location",
  "key",
  "value",
  "int_value",
  "string_value",
  "category",
  "country",
  "source",
];
const HEADERS: Record<string, string> = {
  umami:
    "website_id,session_id,visit_id,event_id,hostname,browser,os,device,country,url_path,url_query,referrer_domain,referrer_path,event_type,event_name,distinct_id,created_at",
  plausible: "date,source,page,visitors,pageviews,visit_duration,bounce_rate",
  csv: "ts,ev,user,anon,url",
};
const CSV_OPTIONS = {
  "map.timestamp": "ts",
  "map.event": "ev",
  "map.user": "user",
  "map.anonymous": "anon",
  "map.url": "url",
};

const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "track",
    "page",
    "identify",
    "alias",
    "group",
    "$pageview",
    "$identify",
    "page_view",
    "1",
    "2",
    "",
  ),
  fc.date({ min: new Date(-1e14), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    "2024-01-01 10:00:00",
    "1700000000",
    "1700000000123456",
    "1999-12-31T23:59:59Z",
    "x".repeat(300),
  ),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const nested = fc.dictionary(
  fc.constantFrom(...NESTED),
  fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
  { maxKeys: 6 },
);
const value = fc.oneof(scalar, nested, fc.array(nested, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }));
const recordFor = (name: string) =>
  fc.dictionary(fc.constantFrom(...(KEYS[name] ?? ["event"])), value, { maxKeys: 10 });

function jsonInput(name: string): fc.Arbitrary<string> {
  const line = fc.oneof(
    recordFor(name).map((r) => JSON.stringify(r)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
  );
  return fc.oneof(
    fc.array(line, { maxLength: 8 }).map((l) => l.join("\n")),
    fc.array(recordFor(name), { maxLength: 5 }).map((a) => JSON.stringify(a, null, 2)),
    fc
      .array(recordFor(name), { maxLength: 5 })
      .map((a) => JSON.stringify({ batch: a, sentAt: "2024-01-01T00:00:00Z" })),
  );
}

function csvInput(name: string): fc.Arbitrary<string> {
  const cell = fc.oneof(
    fc.string(),
    scalar.map((s) => String(s)),
    fc.constantFrom('"a,b"', '"x""y"', '"open', "\r"),
  );
  const rows = fc.array(
    fc.array(cell, { maxLength: 18 }).map((c) => c.join(",")),
    { maxLength: 8 },
  );
  return fc
    .tuple(fc.boolean(), rows)
    .map(([withHeader, r]) => [...(withHeader ? [HEADERS[name] ?? ""] : []), ...r].join("\n"));
}

/** The adapter may refuse the whole input, or yield items that are each a reasoned reject or a storable record. */
async function checkInput(adapter: Adapter, data: string | Uint8Array): Promise<void> {
  const options = adapter.name === "csv" ? CSV_OPTIONS : {};
  let items: IngestItem[];
  try {
    items = await collect(adapter, data, makeCtx(`imported_sources_20240101_20240102.csv`, options), 5);
  } catch (err) {
    expect(err).toBeInstanceOf(UnreadableInputError);
    expect((err as Error).message.length).toBeGreaterThan(0);
    return;
  }
  for (const item of items) {
    if (item.kind === "reject") expect(item.value.reason.trim()).not.toBe("");
    else if (item.kind === "event") expect(validateEvent(item.value, FAR_FUTURE)).toBeNull();
    else if (item.kind === "daily_stat") expect(validateDailyStat(item.value)).toBeNull();
    else throw new Error(`unexpected item kind ${item.kind}`);
  }
}

const RUNS = 120;
describe.each(WEB_ADAPTERS.map((a) => [a.name, a] as const))(
  "%s never crashes on malformed input",
  (name, adapter) => {
    it("random bytes", async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), (bytes) => checkInput(adapter, bytes)),
        { numRuns: RUNS },
      );
    });
    it("random JSON lines and documents", async () => {
      await fc.assert(
        fc.asyncProperty(jsonInput(name), (text) => checkInput(adapter, text)),
        { numRuns: RUNS },
      );
    });
    it("random CSV", async () => {
      await fc.assert(
        fc.asyncProperty(csvInput(name), (text) => checkInput(adapter, text)),
        { numRuns: RUNS },
      );
    });
  },
);
