import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnreadableInputError } from "../../../ingest/adapters/types";
import { umamiAdapter } from "../../../ingest/adapters/web/umami";
import { collect, collectFile, errorOf, eventsOf, makeCtx, realDir, rejectsOf } from "./web-helpers";

// Extra column, different order: columns are matched by name.
const header =
  "created_at,event_id,session_id,visit_id,hostname,url_path,url_query,referrer_domain,referrer_path,browser,os,device,country,event_type,event_name,distinct_id,utm_source,extra,job_id";
const csv = [
  header,
  "2024-02-01 09:30:00,e1,s1,v1,example.com,/pricing,plan=pro,www.google.com,/search,crios,iOS,mobile,de,1,,,ads,x,00000000-0000-0000-0000-000000000000",
  '2024-02-01 09:31:00,e2,s1,v1,example.com,/pricing,,,,chrome,Mac OS,laptop,DE,2,"signup, clicked",user-9,,,',
  "2024-02-30 10:00:00,e3,s1,v1,example.com,/,,,,chrome,Mac OS,desktop,DE,1,,,,,",
  "2024-02-01 10:00:00,e4,s1,v1,example.com,/,,,,chrome,Mac OS,desktop,DE,x,,,,,",
].join("\n");

describe("umami import", () => {
  it("maps rows by header name: pageviews and custom events, UTC created_at", async () => {
    const items = await collect(umamiAdapter, csv);
    expect(eventsOf(items)).toEqual([
      {
        messageId: "e1",
        timestamp: new Date("2024-02-01T09:30:00Z"),
        event: "pageview",
        type: "page",
        userId: null,
        anonymousId: "s1",
        sessionId: "v1",
        url: "https://example.com/pricing?plan=pro",
        path: "/pricing",
        referrer: "https://www.google.com/search",
        utmSource: "ads",
        utmMedium: null,
        utmCampaign: null,
        utmTerm: null,
        utmContent: null,
        country: "DE",
        device: "mobile",
        browser: "Chrome",
        os: "iOS",
        properties: {
          hostname: "example.com",
          url_query: "plan=pro",
          referrer_domain: "www.google.com",
          referrer_path: "/search",
          extra: "x",
        },
      },
      expect.objectContaining({
        messageId: "e2",
        event: "signup, clicked",
        type: "track",
        userId: "user-9",
        os: "macOS",
        device: "desktop",
      }),
    ]);
  });

  it("rejects impossible dates and bad event types with their line numbers", async () => {
    const rejects = rejectsOf(await collect(umamiAdapter, csv));
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, 'created_at "2024-02-30 10:00:00" is not a date'],
      [5, 'event_type "x" is not a number'],
    ]);
    expect(rejects[0]?.raw).toBe(
      "2024-02-30 10:00:00,e3,s1,v1,example.com,/,,,,chrome,Mac OS,desktop,DE,1,,,,,",
    );
  });

  it("refuses a CSV that is not an Umami export, naming the missing columns", async () => {
    const err = await errorOf(() => collect(umamiAdapter, "a,b\n1,2\n", makeCtx("x.csv")));
    expect(err).toBeInstanceOf(UnreadableInputError);
    expect(err.message).toBe(
      "not an Umami website_event export: no session_id, created_at column (columns: a, b)",
    );
  });
});

const real = realDir("umami");
describe.skipIf(!real.present)(`umami ${real.title}`, () => {
  it("imports the Umami Cloud export sample: 9 pageviews", async () => {
    const items = await collectFile(
      umamiAdapter,
      join(real.dir, "openpanel_umami-cloud-export_a70ff57d.head9.csv"),
    );
    expect(rejectsOf(items)).toEqual([]);
    const events = eventsOf(items);
    expect(events).toHaveLength(9);
    expect(events.every((e) => e.event === "pageview" && e.type === "page")).toBe(true);
    expect(events[0]).toMatchObject({
      messageId: "d99ea49b-9d72-4caa-8047-8a11b1ca09b1",
      anonymousId: "6637bfea-6dbf-5187-addc-9c7fefcb64ab",
      timestamp: new Date("2023-06-02T14:55:06Z"),
      url: "https://dev.offerkhao.com/",
      country: "BD",
      browser: "Safari",
      os: "macOS",
      device: "desktop",
    });
    expect(events[0]?.properties).not.toHaveProperty("job_id");
    expect(events[2]?.referrer).toBe("android-app://com.google.android.googlequicksearchbox/");
    expect(events[4]?.referrer).toBeNull();
    expect(new Set(events.map((e) => e.messageId)).size).toBe(9);
  });
});
