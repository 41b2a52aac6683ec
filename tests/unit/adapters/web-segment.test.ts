import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnreadableInputError } from "../../../ingest/adapters/types";
import { normalizeSegmentMessage, segmentAdapter } from "../../../ingest/adapters/web/segment";
import { collect, collectFile, errorOf, eventsOf, makeCtx, realDir, rejectsOf } from "./web-helpers";

const UA_MAC_CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/40.0.2214.115 Safari/537.36";
const UA_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

const track = {
  type: "track",
  messageId: "m-1",
  anonymousId: "anon-1",
  userId: "u-1",
  event: "Signed Up",
  properties: { plan: "pro" },
  timestamp: "2024-05-01T10:00:00.000Z",
  sentAt: "2024-05-01T10:00:05.000Z",
  receivedAt: "2024-05-01T10:00:02.000Z",
  context: {
    page: {
      url: "https://app.example.com/signup?utm_source=news",
      path: "/signup",
      referrer: "https://google.com/",
    },
    campaign: { source: "newsletter", medium: "email", name: "spring", term: "t", content: "c" },
    userAgent: UA_IPHONE,
    ip: "192.0.2.1",
    locale: "de-DE",
    location: { country: "United States" },
  },
};

describe("segment file import", () => {
  it("maps a track message field by field, correcting clock skew from its own receivedAt", async () => {
    const items = await collect(segmentAdapter, `${JSON.stringify(track)}\n`);
    expect(items).toEqual([
      {
        kind: "event",
        line: 1,
        value: {
          messageId: "m-1",
          // client clock 5 s ahead of sending: received 10:00:02 − (10:00:05 − 10:00:00) = 09:59:57
          timestamp: new Date("2024-05-01T09:59:57.000Z"),
          event: "Signed Up",
          type: "track",
          userId: "u-1",
          anonymousId: "anon-1",
          sessionId: null,
          url: "https://app.example.com/signup?utm_source=news",
          path: "/signup",
          referrer: "https://google.com/",
          utmSource: "newsletter",
          utmMedium: "email",
          utmCampaign: "spring",
          utmTerm: "t",
          utmContent: "c",
          country: "US",
          browser: "Mobile Safari",
          os: "iOS",
          device: "mobile",
          properties: { plan: "pro", $context: track.context },
        },
      },
    ]);
  });

  it("names page calls pageview (type page), screens screenview, identify carries both ids and traits", async () => {
    const base = { anonymousId: "a", timestamp: "2024-05-01T10:00:00Z" };
    const lines = [
      { ...base, type: "page", name: "Pricing", properties: { url: "https://x.io/pricing?utm_medium=cpc" } },
      { ...base, type: "screen", name: "Home" },
      { ...base, type: "identify", userId: "u", traits: { email: "e@x.io" } },
      { ...base, type: "alias", userId: "u", previousId: "old" },
    ];
    const events = eventsOf(await collect(segmentAdapter, lines.map((l) => JSON.stringify(l)).join("\n")));
    expect(events.map((e) => [e.event, e.type, e.userId ?? null, e.anonymousId])).toEqual([
      ["pageview", "page", null, "a"],
      ["screenview", "screen", null, "a"],
      ["identify", "identify", "u", "a"],
      ["alias", "identify", "u", "old"],
    ]);
    expect(events[0]).toMatchObject({ path: "/pricing", utmMedium: "cpc", properties: { name: "Pricing" } });
    expect(events[2]?.properties).toEqual({ email: "e@x.io" });
  });

  it("rejects group calls, nameless tracks, missing ids and bad dates with reasons and lines", async () => {
    const lines = [
      JSON.stringify({ type: "group", groupId: "g", userId: "u", timestamp: "2024-05-01T10:00:00Z" }),
      JSON.stringify({ type: "track", userId: "u", timestamp: "2024-05-01T10:00:00Z" }),
      JSON.stringify({ type: "track", event: "x", timestamp: "2024-05-01T10:00:00Z" }),
      JSON.stringify({ type: "track", event: "x", userId: "u", timestamp: "abc" }),
      "{not json",
      JSON.stringify({ type: "track", event: "ok", userId: "u", timestamp: "2024-05-01T10:00:00Z" }),
    ];
    const items = await collect(segmentAdapter, lines.join("\r\n"));
    expect(rejectsOf(items).map((r) => [r.line, r.reason])).toEqual([
      [1, 'type "group" is not stored: Northstar keeps no account-level (group) traits'],
      [2, "event is missing (a track call needs an event name)"],
      [3, "neither userId nor anonymousId is set"],
      [4, 'timestamp "abc" is not a date'],
      [5, expect.stringMatching(/^line 5 is not valid JSON: /)],
    ]);
    expect(rejectsOf(items)[4]?.raw).toBe("{not json");
    expect(eventsOf(items)).toHaveLength(1);
  });

  it("hashes a message without messageId deterministically, so a re-import dedupes", async () => {
    const msg = JSON.stringify({ type: "track", event: "x", userId: "u", timestamp: "2024-05-01T10:00:00Z" });
    const [a] = eventsOf(await collect(segmentAdapter, msg));
    const [b] = eventsOf(await collect(segmentAdapter, msg, makeCtx(), 1));
    expect(a?.messageId).toMatch(/^segment:[0-9a-f]{64}$/);
    expect(b?.messageId).toBe(a?.messageId);
  });

  it("reads a pretty-printed JSON array and a batch whose sentAt and context apply to every message", async () => {
    const arr = JSON.stringify(
      [{ type: "page", anonymousId: "a", timestamp: "2024-01-01T00:00:00Z" }, 5],
      null,
      2,
    );
    const items = await collect(segmentAdapter, arr);
    expect(items.map((i) => (i.kind === "reject" ? i.value.line : i.line))).toEqual([0, 1]);
    expect(rejectsOf(items)[0]?.reason).toBe("item 1 is not a JSON object");
    const batch = JSON.stringify(
      {
        sentAt: "2024-01-01T00:00:10Z",
        context: { userAgent: UA_MAC_CHROME },
        batch: [
          {
            type: "track",
            event: "e",
            userId: "u",
            timestamp: "2024-01-01T00:00:00Z",
            receivedAt: "2024-01-01T00:00:04Z",
          },
        ],
      },
      null,
      2,
    );
    const [e] = eventsOf(await collect(segmentAdapter, batch));
    expect(e?.timestamp).toEqual(new Date("2023-12-31T23:59:54Z"));
    expect([e?.browser, e?.os, e?.device]).toEqual(["Chrome", "macOS", "desktop"]);
  });

  it("refuses a file that is not JSON at all", async () => {
    const err = await errorOf(() => collect(segmentAdapter, "hello\nworld\n"));
    expect(err).toBeInstanceOf(UnreadableInputError);
    expect(err.message).toMatch(
      /^not Segment messages \(JSON\): none of the first 2 records is a JSON object/,
    );
  });
});

describe("normalizeSegmentMessage (HTTP API)", () => {
  const receivedAt = new Date("2024-05-01T12:00:00Z");
  it("uses the server clock for skew correction and forces the endpoint's type", () => {
    const r = normalizeSegmentMessage(
      {
        type: "identify",
        event: "Clicked",
        userId: "u",
        timestamp: "2024-05-01T13:00:00Z",
        sentAt: "2024-05-01T13:00:01Z",
      },
      { receivedAt, type: "track" },
    );
    expect(r).toMatchObject({
      event: { type: "track", event: "Clicked", timestamp: new Date("2024-05-01T11:59:59Z") },
    });
  });
  it("dates an undated message at receipt and applies a batch envelope", () => {
    const r = normalizeSegmentMessage({ type: "track", event: "e", anonymousId: "a" }, { receivedAt });
    expect(r).toMatchObject({ event: { timestamp: receivedAt, anonymousId: "a" } });
    const s = normalizeSegmentMessage(
      { type: "track", event: "e", anonymousId: "a", timestamp: "2024-05-01T11:00:00Z" },
      { receivedAt, envelope: { sentAt: "2024-05-01T11:00:30Z" } },
    );
    expect(s).toMatchObject({ event: { timestamp: new Date("2024-05-01T11:59:30Z") } });
  });
  it("returns a reason for what it cannot store", () => {
    expect(normalizeSegmentMessage("x", { receivedAt })).toEqual({ reason: "message is not a JSON object" });
    expect(normalizeSegmentMessage({ type: "track", event: "e" }, { receivedAt })).toEqual({
      reason: "neither userId nor anonymousId is set",
    });
  });
});

const real = realDir("segment");
describe.skipIf(!real.present)(`segment ${real.title}`, () => {
  it("imports Segment's own spec examples with corrected timestamps", async () => {
    const trackItems = await collectFile(
      segmentAdapter,
      join(real.dir, "segment-docs_spec_track_example.json"),
    );
    expect(eventsOf(trackItems)).toMatchObject([
      {
        messageId: "ajs-f8ca1e4de5024d9430b3928bd8ac6b96",
        event: "Course Clicked",
        type: "track",
        userId: "AiUGstSDIg",
        anonymousId: "23adfd82-aa0f-45a7-a756-24f2a7a4c895",
        // receivedAt .266 − (sentAt .169 − originalTimestamp .152) = .249, Segment's own timestamp
        timestamp: new Date("2015-12-12T19:11:01.249Z"),
        path: "/academy/",
        referrer: null,
        browser: "Chrome",
        os: "macOS",
      },
    ]);
    const [page] = eventsOf(
      await collectFile(segmentAdapter, join(real.dir, "segment-docs_spec_page_example.json")),
    );
    expect(page).toMatchObject({ event: "pageview", type: "page", url: "http://www.example.com", path: "/" });
    expect(page?.timestamp).toEqual(new Date("2015-02-23T22:28:55.387Z"));
    const [ident] = eventsOf(
      await collectFile(segmentAdapter, join(real.dir, "segment-docs_spec_identify_example.json")),
    );
    expect(ident).toMatchObject({
      type: "identify",
      userId: "97980cfea0067",
      anonymousId: "507f191e810c19729de860ea",
    });
    expect(ident?.properties).toMatchObject({ email: "peter@example.com", logins: 5 });
  });
});
