import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizePosthogEvent, posthogAdapter } from "../../../ingest/adapters/web/posthog";
import { collect, collectFile, eventsOf, realDir, rejectsOf } from "./web-helpers";

const UUID7 = "018f2b6e-1c2d-7a3b-9c4d-5e6f7a8b9c0d";

const pageview = {
  uuid: "0b1e0c3c-0000-4000-8000-000000000001",
  event: "$pageview",
  distinct_id: UUID7,
  timestamp: "2024-03-10T08:00:00.000Z",
  properties: {
    $current_url: "https://shop.example/cart?utm_source=ads&utm_campaign=spring",
    $pathname: "/cart",
    $referrer: "$direct",
    $session_id: "s-1",
    $insert_id: "ins-1",
    $browser: "Firefox",
    $os: "Mac OS X",
    $device_type: "Desktop",
    $geoip_country_code: "fr",
    utm_medium: "cpc",
    token: "phc_secret",
  },
};

describe("posthog file import", () => {
  it("maps an exported $pageview field by field; an SDK-generated distinct_id is anonymous", async () => {
    const items = await collect(posthogAdapter, `${JSON.stringify(pageview)}\n`);
    const { token: _token, ...kept } = pageview.properties;
    expect(items).toEqual([
      {
        kind: "event",
        line: 1,
        value: {
          messageId: pageview.uuid,
          timestamp: new Date("2024-03-10T08:00:00.000Z"),
          event: "pageview",
          type: "page",
          userId: null,
          anonymousId: UUID7,
          sessionId: "s-1",
          url: pageview.properties.$current_url,
          path: "/cart",
          referrer: null,
          utmSource: "ads",
          utmMedium: "cpc",
          utmCampaign: "spring",
          utmTerm: null,
          utmContent: null,
          country: "FR",
          device: "desktop",
          browser: "Firefox",
          os: "macOS",
          properties: kept,
        },
      },
    ]);
  });

  it("links $anon_distinct_id on $identify; a readable distinct_id or $user_id is a user", async () => {
    const t = "2024-03-10T08:00:00Z";
    const lines = [
      {
        event: "$identify",
        distinct_id: "alice@x.io",
        timestamp: t,
        properties: { $anon_distinct_id: UUID7 },
      },
      { event: "$autocapture", distinct_id: "alice@x.io", timestamp: t, properties: { $device_id: UUID7 } },
      { event: "clicked", distinct_id: UUID7, timestamp: t, properties: { $user_id: "alice@x.io" } },
      { event: "$pageleave", distinct_id: "bob", timestamp: t, properties: { $is_identified: false } },
    ];
    const events = eventsOf(await collect(posthogAdapter, lines.map((l) => JSON.stringify(l)).join("\n")));
    expect(events.map((e) => [e.event, e.type, e.userId, e.anonymousId])).toEqual([
      ["identify", "identify", "alice@x.io", UUID7],
      ["$autocapture", "track", "alice@x.io", UUID7],
      ["clicked", "track", "alice@x.io", UUID7],
      ["$pageleave", "track", null, "bob"],
    ]);
  });

  it("takes uuid, else $insert_id, else a stable hash as the message id", async () => {
    const base = { event: "e", distinct_id: "u", timestamp: "2024-03-10T08:00:00Z" };
    const text = [{ ...base, properties: { $insert_id: "ins" } }, base]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const first = eventsOf(await collect(posthogAdapter, text));
    const again = eventsOf(await collect(posthogAdapter, text, undefined, 3));
    expect(first[0]?.messageId).toBe("ins");
    expect(first[1]?.messageId).toMatch(/^posthog:[0-9a-f]{64}$/);
    expect(again.map((e) => e.messageId)).toEqual(first.map((e) => e.messageId));
  });

  it("reads a batch body: an offset counts back from the batch's sent_at", async () => {
    const body = {
      api_key: "k",
      sent_at: "2024-03-10T08:00:10.000Z",
      batch: [
        { event: "a", distinct_id: "u", offset: 2500 },
        { event: "b", distinct_id: "u", timestamp: "nope" },
        { event: "", distinct_id: "u" },
      ],
    };
    const items = await collect(posthogAdapter, JSON.stringify(body, null, 1));
    expect(eventsOf(items)[0]?.timestamp).toEqual(new Date("2024-03-10T08:00:07.500Z"));
    expect(rejectsOf(items).map((r) => [r.line, r.reason])).toEqual([
      [1, 'timestamp "nope" is not a date'],
      [2, "event is missing"],
    ]);
  });
});

describe("normalizePosthogEvent (HTTP API)", () => {
  const receivedAt = new Date("2024-03-10T12:00:00.000Z");
  it("offset wins: receivedAt − offset", () => {
    const r = normalizePosthogEvent(
      { event: "e", distinct_id: "u", offset: 1500, timestamp: "2020-01-01T00:00:00Z" },
      { receivedAt },
    );
    expect(r).toMatchObject({ event: { timestamp: new Date("2024-03-10T11:59:58.500Z") } });
  });
  it("corrects timestamp by sent_at skew, unless $ignore_sent_at", () => {
    const raw = { event: "e", distinct_id: "u", timestamp: "2024-03-10T13:00:00Z" };
    const sentAt = new Date("2024-03-10T13:00:05Z");
    expect(normalizePosthogEvent(raw, { receivedAt, sentAt })).toMatchObject({
      event: { timestamp: new Date("2024-03-10T11:59:55Z") },
    });
    const ignored = { ...raw, properties: { $ignore_sent_at: true } };
    expect(normalizePosthogEvent(ignored, { receivedAt, sentAt })).toMatchObject({
      event: { timestamp: new Date("2024-03-10T13:00:00Z") },
    });
  });
  it("dates an undated event at receipt; rejects one without distinct_id", () => {
    expect(
      normalizePosthogEvent({ event: "e", properties: { distinct_id: "u" } }, { receivedAt }),
    ).toMatchObject({
      event: { timestamp: receivedAt, userId: "u" },
    });
    expect(normalizePosthogEvent({ event: "e" }, { receivedAt })).toEqual({
      reason: "distinct_id is missing",
    });
  });
});

const real = realDir("posthog");
describe.skipIf(!real.present)(`posthog ${real.title}`, () => {
  it("imports the capture fixture: $insert_id as id, anonymous UUIDv7 distinct_id, token dropped", async () => {
    const items = await collectFile(
      posthogAdapter,
      join(real.dir, "posthog_capture_fixture_single_event_payload.json"),
    );
    expect(rejectsOf(items)).toEqual([]);
    const [e] = eventsOf(items);
    expect(e).toMatchObject({
      messageId: "abc123xyz456",
      event: "$autocapture",
      type: "track",
      userId: null,
      anonymousId: "019833ae-4913-7179-b6bc-019570abb1c9",
      sessionId: "019833a9-eaf4-753e-adaf-6c21075e4fd4",
      timestamp: new Date("2025-07-01T00:00:00Z"),
      url: "https://posthog.example.com/testing",
      path: "/testing",
      referrer: null,
      browser: "Chrome",
      os: "Windows",
      device: "desktop",
    });
    expect(e?.properties).not.toHaveProperty("token");
    expect(e?.properties).toMatchObject({ $el_text: "Save Data" });
  });
});
