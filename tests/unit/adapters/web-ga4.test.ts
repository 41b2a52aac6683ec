import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ga4Adapter } from "../../../ingest/adapters/web/ga4";
import { collect, collectFile, eventsOf, realDir, rejectsOf } from "./web-helpers";

const row = {
  event_date: "20240301",
  event_timestamp: "1709251200123456",
  event_name: "page_view",
  event_params: [
    {
      key: "page_location",
      value: { string_value: "https://shop.example/p/1?utm_source=mail", int_value: null },
    },
    { key: "page_referrer", value: { string_value: "https://www.bing.com/" } },
    { key: "ga_session_id", value: { int_value: "1709251000" } },
    { key: "engagement_time_msec", value: { int_value: "42" } },
    { key: "value", value: { double_value: 9.5 } },
  ],
  event_bundle_sequence_id: "7",
  user_id: "cust-1",
  user_pseudo_id: "123.456",
  device: { category: "tablet", operating_system: "iOS", web_info: { browser: "Safari" } },
  geo: { country: "United Kingdom", city: "Leeds" },
  traffic_source: { source: "google", medium: "organic", name: "(organic)" },
  collected_traffic_source: { manual_medium: "email", manual_campaign_name: "march" },
};

describe("ga4 import", () => {
  it("maps a page_view row: µs timestamp, params flattened, country name to ISO, session id", async () => {
    const items = await collect(ga4Adapter, `${JSON.stringify(row)}\n`);
    expect(rejectsOf(items)).toEqual([]);
    const [e] = eventsOf(items);
    expect(e).toMatchObject({
      timestamp: new Date("2024-03-01T00:00:00.123Z"),
      event: "pageview",
      type: "page",
      userId: "cust-1",
      anonymousId: "123.456",
      sessionId: "123.456:1709251000",
      url: "https://shop.example/p/1?utm_source=mail",
      path: "/p/1",
      referrer: "https://www.bing.com/",
      // event-level sources beat the first-touch traffic_source
      utmSource: "mail",
      utmMedium: "email",
      utmCampaign: "march",
      country: "GB",
      device: "tablet",
      browser: "Safari",
      os: "iOS",
    });
    expect(e?.properties).toMatchObject({ engagement_time_msec: 42, value: 9.5, ga_session_id: 1709251000 });
    expect(e?.properties?.$ga4).toMatchObject({ event_date: "20240301", geo: { city: "Leeds" } });
    expect(e?.messageId).toMatch(/^ga4:[0-9a-f]{64}$/);
  });

  it("gives the same row the same id and a changed row another; numbers work as timestamps too", async () => {
    const twice = `${JSON.stringify(row)}\n${JSON.stringify(row)}\n${JSON.stringify({ ...row, event_bundle_sequence_id: "8" })}`;
    const ids = eventsOf(await collect(ga4Adapter, twice)).map((e) => e.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    const [n] = eventsOf(
      await collect(ga4Adapter, JSON.stringify({ ...row, event_timestamp: 1709251200123456 })),
    );
    expect(n?.timestamp).toEqual(new Date("2024-03-01T00:00:00.123Z"));
  });

  it("keeps unknown country names, drops '(not set)', and rejects rows without time or ids", async () => {
    const text = [
      {
        ...row,
        geo: { country: "Atlantis" },
        traffic_source: { source: "(direct)", medium: "(none)" },
        collected_traffic_source: null,
        event_params: [],
      },
      { ...row, event_timestamp: "soon" },
      { ...row, user_id: null, user_pseudo_id: null },
      { ...row, event_name: "" },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const items = await collect(ga4Adapter, text);
    expect(eventsOf(items)[0]).toMatchObject({
      country: "Atlantis",
      utmSource: null,
      utmMedium: null,
      url: null,
    });
    expect(rejectsOf(items).map((r) => [r.line, r.reason])).toEqual([
      [2, 'event_timestamp "soon" is not microseconds since the epoch'],
      [3, "neither user_id nor user_pseudo_id is set"],
      [4, "event_name is missing"],
    ]);
  });
});

const real = realDir("ga4-bigquery");
describe.skipIf(!real.present)(`ga4 ${real.title}`, () => {
  it("imports Velir's session_start row", async () => {
    const items = await collectFile(ga4Adapter, join(real.dir, "velir_session_start_row.json"));
    expect(rejectsOf(items)).toEqual([]);
    expect(eventsOf(items)).toMatchObject([
      {
        event: "session_start",
        type: "track",
        timestamp: new Date("2022-05-27T19:30:18.347Z"),
        userId: null,
        anonymousId: "745846450.1644156613",
        sessionId: "745846450.1644156613:1653679817",
        path: "/ideas/2021/09/22/connecting-sitecore-identity-to-saml-part-1",
        referrer: "https://www.google.com/",
        utmSource: "google",
        utmMedium: "organic",
        utmCampaign: null,
        country: "IN",
        device: "mobile",
        browser: "Chrome",
        os: "Android",
        properties: { ga_session_number: 6, page_title: expect.stringContaining("Sitecore") },
      },
    ]);
  });
});
