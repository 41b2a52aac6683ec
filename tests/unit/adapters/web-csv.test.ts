import { describe, expect, it } from "vitest";
import { UnreadableInputError } from "../../../ingest/adapters/types";
import { csvAdapter } from "../../../ingest/adapters/web/csv";
import { collect, errorOf, eventsOf, makeCtx, rejectsOf } from "./web-helpers";

const map = { "map.timestamp": "When", "map.event": "What", "map.user": "Who", "map.url": "Page" };
const csv = [
  "When,What,Who,Page,Plan",
  "2024-03-31 01:30:00,signup,u1,https://x.io/a?utm_source=hn,pro",
  "2024-03-31T03:30:00+02:00,pageview,u2,,",
  "1711848600,login,u3,,",
  "1711848600000,login,u4,,",
  "yesterday,login,u5,,",
  "2024-03-31 02:00:00,,u6,,",
].join("\n");

describe("generic csv import", () => {
  it("reads naive times in the product zone, ISO with offsets, epoch seconds and ms", async () => {
    const items = await collect(csvAdapter, csv, makeCtx("e.csv", map, "Europe/Berlin"));
    const events = eventsOf(items);
    expect(events.map((e) => e.timestamp.toISOString())).toEqual([
      "2024-03-31T00:30:00.000Z",
      "2024-03-31T01:30:00.000Z",
      "2024-03-31T01:30:00.000Z",
      "2024-03-31T01:30:00.000Z",
    ]);
    expect(events[0]).toMatchObject({
      event: "signup",
      type: "track",
      userId: "u1",
      anonymousId: null,
      url: "https://x.io/a?utm_source=hn",
      path: "/a",
      utmSource: "hn",
      properties: { Plan: "pro" },
    });
    expect(events[0]?.messageId).toMatch(/^csv:[0-9a-f]{64}$/);
    expect(events[1]?.type).toBe("page");
    expect(rejectsOf(items).map((r) => [r.line, r.reason])).toEqual([
      [6, 'timestamp "yesterday" is not a date'],
      [7, 'event (column "What") is empty'],
    ]);
  });

  it("--timezone overrides the product zone; a mapped id and type column are used", async () => {
    const text =
      "t,e,a,id,kind\n2024-01-01 12:00:00,Home,anon,m-1,page\n2024-01-01 12:00:00,x,anon,m-2,click\n";
    const options = {
      "map.timestamp": "t",
      "map.event": "e",
      "map.anonymous": "a",
      "map.message_id": "id",
      "map.type": "kind",
      timezone: "America/New_York",
    };
    const items = await collect(csvAdapter, text, makeCtx("e.csv", options, "Europe/Berlin"));
    expect(eventsOf(items)).toMatchObject([
      {
        messageId: "m-1",
        type: "page",
        event: "Home",
        anonymousId: "anon",
        timestamp: new Date("2024-01-01T17:00:00Z"),
      },
    ]);
    expect(rejectsOf(items)[0]?.reason).toBe('type "click" is not one of track, page, screen, identify');
  });

  it("names the missing --map keys and lists the file's columns", async () => {
    const err = await errorOf(() =>
      collect(csvAdapter, "ts,name\n1,2\n", makeCtx("e.csv", { "map.timestamp": "ts" })),
    );
    expect(err).toBeInstanceOf(UnreadableInputError);
    expect(err.message).toBe(
      "the csv format needs --map event=<column> --map user=<column> (or anonymous=<column>); the file's columns: ts, name",
    );
    const wrong = await errorOf(() =>
      collect(
        csvAdapter,
        "ts,name\n1,2\n",
        makeCtx("e.csv", { "map.timestamp": "time", "map.event": "name", "map.user": "name" }),
      ),
    );
    expect(wrong.message).toBe('--map timestamp=time: no column "time"; the file\'s columns: ts, name');
  });

  it("is never sniffed: any CSV could be generic", () => {
    expect(csvAdapter.sniff("a,b\n1,2\n", "x.csv")).toBe(0);
  });
});
