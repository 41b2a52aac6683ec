import { describe, expect, it } from "vitest";
import { SOCIAL_ADAPTERS } from "../../../ingest/adapters/social";
import { UnreadableInputError } from "../../../ingest/adapters/types";
import { run } from "./adapter-helpers";

const adapter = (name: string) =>
  SOCIAL_ADAPTERS.find((a) => a.name === name) as (typeof SOCIAL_ADAPTERS)[number];

describe("hn", () => {
  it("turns comment HTML into text and falls back to the item URL", async () => {
    const doc = {
      hits: [
        {
          objectID: "101",
          created_at_i: 1709633700,
          author: "pg",
          comment_text:
            '<p>I don&#x27;t like the <a href="https://x.test">new pricing</a>.<p>Too &lt;high&gt;',
          story_id: 100,
          parent_id: 100,
          _tags: ["comment", "author_pg", "story_100"],
        },
        {
          objectID: "100",
          created_at: "2024-03-05T10:00:00Z",
          title: "Show HN: Acme",
          url: "https://acme.test",
          points: 42,
          num_comments: 7,
        },
        { created_at_i: 1709633700, title: "no id" },
      ],
    };
    const { mentions, rejects } = await run(adapter("hn"), JSON.stringify(doc));
    expect(mentions[0]).toMatchObject({
      externalId: "101",
      createdAt: new Date(1709633700 * 1000),
      url: "https://news.ycombinator.com/item?id=101",
      author: "pg",
      title: null,
      body: "I don't like the new pricing.\n\nToo <high>",
      engagement: 0,
    });
    expect(mentions[0]?.metadata).toMatchObject({ type: "comment", story_id: 100, parent_id: 100 });
    expect(mentions[1]).toMatchObject({
      externalId: "100",
      url: "https://acme.test",
      title: "Show HN: Acme",
      engagement: 42,
      body: null,
    });
    expect(mentions[1]?.metadata).toMatchObject({ type: "story", num_comments: 7 });
    expect(rejects).toEqual([{ line: 2, reason: "objectID is missing" }]);
  });
});

describe("reddit", () => {
  it("reads a post + comments page, skipping and counting 'more' stubs", async () => {
    const page = [
      {
        kind: "Listing",
        data: {
          children: [
            {
              kind: "t3",
              data: {
                id: "abc",
                name: "t3_abc",
                title: "Acme is great",
                selftext: "Really",
                score: 12,
                num_comments: 2,
                permalink: "/r/acme/comments/abc/x/",
                author: "u1",
                subreddit: "acme",
                created_utc: 1709633700.0,
              },
            },
          ],
        },
      },
      {
        kind: "Listing",
        data: {
          children: [
            {
              kind: "t1",
              data: {
                id: "c1",
                body: "Agreed",
                score: -2,
                link_id: "t3_abc",
                parent_id: "t3_abc",
                permalink: "/r/acme/comments/abc/x/c1/",
                author: "u2",
                created_utc: 1709633760.5,
              },
            },
            { kind: "more", data: { count: 3, children: ["c2", "c3"] } },
            {
              kind: "t1",
              data: { id: "c4", body: "[deleted]", author: "[deleted]", created_utc: 1709633800 },
            },
          ],
        },
      },
    ];
    const { mentions, rejects, notes } = await run(adapter("reddit"), JSON.stringify(page));
    expect(mentions.map((m) => [m.externalId, m.url, m.title, m.body, m.engagement, m.author])).toEqual([
      ["t3_abc", "https://www.reddit.com/r/acme/comments/abc/x/", "Acme is great", "Really", 12, "u1"],
      ["t1_c1", "https://www.reddit.com/r/acme/comments/abc/x/c1/", null, "Agreed", -2, "u2"],
    ]);
    expect(mentions[1]?.createdAt).toEqual(new Date(1709633760500));
    expect(notes.reddit_more_skipped).toBe(1);
    expect(rejects).toEqual([{ line: 3, reason: "t1_c4: mention has neither a title nor a text" }]);
  });
});

describe("x", () => {
  it("joins includes.users, sums public metrics and keeps emoji intact", async () => {
    const body =
      '{"data":[{"id":"1760000000000000001","text":"Love \\ud83d\\ude80 Acme","created_at":"2024-03-05T10:00:00.000Z","author_id":"9","lang":"en",' +
      '"public_metrics":{"like_count":5,"retweet_count":2,"reply_count":1,"quote_count":1,"impression_count":900}},' +
      '{"id":"1760000000000000002","text":"no author","created_at":"2024-03-05T11:00:00.000Z","author_id":"8"}],' +
      '"includes":{"users":[{"id":"9","username":"ann","name":"Ann"}]},"meta":{"result_count":2,"next_token":"tok"}}';
    const { mentions, notes } = await run(adapter("x"), body);
    expect(mentions[0]).toMatchObject({
      externalId: "1760000000000000001",
      body: "Love 🚀 Acme",
      author: "@ann",
      url: "https://x.com/ann/status/1760000000000000001",
      engagement: 9,
    });
    expect(mentions[0]?.metadata).toMatchObject({ impression_count: 900, author_name: "Ann", lang: "en" });
    expect(mentions[1]).toMatchObject({
      author: null,
      url: "https://x.com/i/web/status/1760000000000000002",
      engagement: 0,
    });
    expect(notes.x_next_token).toBe("tok");
  });
});

describe("appstore", () => {
  const review = (id: string) => ({
    id: { label: id },
    author: { name: { label: "Zoe" }, uri: { label: "https://itunes.apple.com/us/reviews/id1" } },
    updated: { label: "2024-03-05T06:25:43-07:00" },
    "im:rating": { label: "2" },
    "im:version": { label: "1.2.3" },
    title: { label: "Crashes" },
    content: { label: "Crashes on start", attributes: { type: "text" } },
    "im:voteSum": { label: "3" },
    "im:voteCount": { label: "4" },
  });
  it("accepts one entry object and skips the app entry", async () => {
    const app = { "im:name": { label: "Acme" }, id: { label: "app" } };
    const arr = await run(adapter("appstore"), JSON.stringify({ feed: { entry: [app, review("r1")] } }));
    expect(arr.mentions).toHaveLength(1);
    const one = await run(adapter("appstore"), JSON.stringify({ feed: { entry: review("r2") } }));
    expect(one.mentions).toEqual([
      expect.objectContaining({
        externalId: "r2",
        createdAt: new Date("2024-03-05T13:25:43Z"),
        author: "Zoe",
        title: "Crashes",
        body: "Crashes on start",
        rating: 2,
        engagement: 3,
      }),
    ]);
    expect(one.mentions[0]?.metadata).toMatchObject({ version: "1.2.3", vote_sum: 3, vote_count: 4 });
  });
  it("treats a missing entry as zero reviews and notes it", async () => {
    const { items, notes } = await run(
      adapter("appstore"),
      JSON.stringify({ feed: { title: { label: "x" } } }),
    );
    expect(items).toEqual([]);
    expect(notes.appstore_entries).toBe(0);
  });
});

describe("googleplay", () => {
  it("reads the UTF-16LE export by header name", async () => {
    const header =
      "Package Name,App Version Code,App Version Name,Reviewer Language,Device,Review Submit Date and Time,Review Submit Millis Since Epoch,Review Last Update Date and Time,Review Last Update Millis Since Epoch,Star Rating,Review Title,Review Text,Developer Reply Date and Time,Developer Reply Millis Since Epoch,Developer Reply Text,Review Link";
    const rows = [
      'com.acme,42,1.4.2,de,pixel7,2024-03-05T10:00:00Z,1709632800000,2024-03-05T10:00:00Z,1709632800000,5,,"Super App, danke",,,,https://play.google.com/r/1',
      "com.acme,42,1.4.2,en,pixel7,2024-03-05T11:00:00Z,1709636400000,,,0,,Bad,,,,",
      "com.acme,42,1.4.2,en,pixel7,2024-03-05T12:00:00Z,1709640000000,,,3,Meh,It is ok,,,,",
    ];
    const text = `${header}\n${rows.join("\n")}\n`;
    const bytes = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, "utf16le"))]);
    const { mentions, rejects } = await run(adapter("googleplay"), bytes);
    expect(mentions[0]).toMatchObject({
      externalId: "https://play.google.com/r/1",
      body: "Super App, danke",
      rating: 5,
      createdAt: new Date(1709632800000),
    });
    expect(mentions[0]?.metadata).toMatchObject({
      package: "com.acme",
      version_name: "1.4.2",
      language: "de",
    });
    expect(mentions[1]?.externalId).toMatch(/^gp_[0-9a-f]{20}$/);
    expect(mentions[1]).toMatchObject({ title: "Meh", rating: 3 });
    expect(rejects).toEqual([expect.objectContaining({ line: 3, reason: '"Star Rating" "0" is not 1-5' })]);
  });
});

describe("rss", () => {
  it("reads RSS 2.0 items", async () => {
    const xml = `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>
      <item><guid>g1</guid><link>https://blog.test/1</link><title>Acme review</title>
      <description>&lt;p&gt;Great &amp;amp; fast&lt;/p&gt;</description><pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate><dc:creator>Kim</dc:creator></item>
      <item><title>no date</title></item></channel></rss>`;
    const { mentions, rejects } = await run(adapter("rss"), xml);
    expect(mentions).toEqual([
      expect.objectContaining({
        externalId: "g1",
        url: "https://blog.test/1",
        title: "Acme review",
        body: "Great & fast",
        author: "Kim",
        createdAt: new Date("2024-03-05T09:00:00Z"),
      }),
    ]);
    expect(rejects).toEqual([{ line: 1, reason: 'pubDate "" is not a date' }]);
  });
  it("reads Atom entries", async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>urn:1</id><link rel="alternate" href="https://a.test/1"/><title>Hello</title><summary>Nice tool</summary>
      <updated>2024-03-05T10:00:00Z</updated><author><name>Lee</name></author></entry></feed>`;
    const { mentions } = await run(adapter("rss"), xml);
    expect(mentions).toEqual([
      expect.objectContaining({
        externalId: "urn:1",
        url: "https://a.test/1",
        title: "Hello",
        body: "Nice tool",
        author: "Lee",
      }),
    ]);
  });
  it("rejects a non-feed with UnreadableInputError", async () => {
    await expect(run(adapter("rss"), "<html><body/></html>")).rejects.toBeInstanceOf(UnreadableInputError);
  });
});
