import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mixpanelAdapter, NO_DISTINCT_ID } from "../../../ingest/adapters/web/mixpanel";
import { collect, collectFile, eventsOf, realDir, rejectsOf } from "./web-helpers";

const line = (event: string, properties: Record<string, unknown>) => JSON.stringify({ event, properties });

describe("mixpanel export import", () => {
  it("maps an export line field by field; time in fractional seconds", async () => {
    const props = {
      time: 1721228056.002,
      distinct_id: "user-7",
      $insert_id: "ins-7",
      $current_url: "https://app.example/settings?utm_source=x",
      $referrer: "https://news.ycombinator.com/",
      $browser: "Chrome",
      $os: "Windows",
      $city: "Berlin",
      mp_country_code: "DE",
      utm_campaign: "launch",
    };
    const items = await collect(mixpanelAdapter, `${line("Saved", props)}\n`);
    expect(items).toEqual([
      {
        kind: "event",
        line: 1,
        value: {
          messageId: "ins-7",
          timestamp: new Date("2024-07-17T14:54:16.002Z"),
          event: "Saved",
          type: "track",
          userId: "user-7",
          anonymousId: null,
          sessionId: null,
          url: props.$current_url,
          path: "/settings",
          referrer: "https://news.ycombinator.com/",
          utmSource: "x",
          utmMedium: null,
          utmCampaign: "launch",
          utmTerm: null,
          utmContent: null,
          country: "DE",
          device: "desktop",
          browser: "Chrome",
          os: "Windows",
          properties: props,
        },
      },
    ]);
  });

  it("accepts milliseconds, links device to user, and handles $identify / $create_alias", async () => {
    const text = [
      line("$mp_web_page_view", { time: 1700000000123, distinct_id: "$device:d-1", $device_id: "d-1" }),
      line("Bought", { time: 1700000000, distinct_id: "u-1", $user_id: "u-1", $device_id: "d-1" }),
      line("$identify", { time: 1700000000, distinct_id: "u-1", $identified_id: "u-1", $anon_id: "d-2" }),
      line("$create_alias", { time: 1700000000, distinct_id: "d-3", alias: "u-1" }),
    ].join("\n");
    const events = eventsOf(await collect(mixpanelAdapter, text));
    expect(events.map((e) => [e.event, e.type, e.userId, e.anonymousId])).toEqual([
      ["pageview", "page", null, "d-1"],
      ["Bought", "track", "u-1", "d-1"],
      ["identify", "identify", "u-1", "d-2"],
      ["alias", "identify", "u-1", "d-3"],
    ]);
    expect(events[0]?.timestamp).toEqual(new Date("2023-11-14T22:13:20.123Z"));
  });

  it("rejects a missing or non-numeric time, hashes a line without $insert_id", async () => {
    const text = [
      line("a", { distinct_id: "u" }),
      line("b", { time: "yesterday", distinct_id: "u" }),
      line("c", { time: 1700000000, distinct_id: "u" }),
    ].join("\n");
    const items = await collect(mixpanelAdapter, text);
    expect(rejectsOf(items).map((r) => [r.line, r.reason])).toEqual([
      [1, "properties.time is missing"],
      [2, 'properties.time "yesterday" is not a Unix time'],
    ]);
    expect(eventsOf(items)[0]?.messageId).toMatch(/^mixpanel:[0-9a-f]{64}$/);
  });
});

const real = realDir("mixpanel");
describe.skipIf(!real.present)(`mixpanel ${real.title}`, () => {
  it("imports mixpanel-go's export body: two events without distinct_id under the placeholder actor", async () => {
    const items = await collectFile(mixpanelAdapter, join(real.dir, "mixpanel-go_export_test_body.jsonl"));
    expect(rejectsOf(items)).toEqual([]);
    expect(eventsOf(items)).toMatchObject([
      {
        messageId: "gBDfegagszvqnBsBdDapllybFlqoBarmCEhD",
        event: "test",
        timestamp: new Date(1684951135 * 1000),
        anonymousId: NO_DISTINCT_ID,
        properties: { mp_lib: "go", $no_distinct_id: true },
      },
      {
        messageId: "ydBqfdcrjwuznjkdzygufEkkxkarhCelCrzr",
        event: "test_2",
        timestamp: new Date(1684951332 * 1000),
      },
    ]);
  });
});
