import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sniffFormat } from "../../../ingest/adapters/registry";
import { SOCIAL_ADAPTERS } from "../../../ingest/adapters/social";
import { hasRealData, REALDATA, realFile, run } from "./adapter-helpers";

const adapter = (name: string) =>
  SOCIAL_ADAPTERS.find((a) => a.name === name) as (typeof SOCIAL_ADAPTERS)[number];
const sample = (path: string) => new TextDecoder().decode(realFile(path).subarray(0, 4096));

describe.skipIf(!hasRealData("hackernews"))(`hn real sample (needs ${join(REALDATA, "hackernews")})`, () => {
  const path = "hackernews/internship-hunter_hn_search.json";
  it("is sniffed as hn and yields the 12 stories", async () => {
    expect(sniffFormat(sample(path), path)?.adapter.name).toBe("hn");
    const { mentions, rejects, notes } = await run(adapter("hn"), realFile(path));
    expect(rejects).toEqual([]);
    expect(mentions).toHaveLength(12);
    expect(mentions[0]).toMatchObject({
      externalId: "47975571",
      title: "Ask HN: Who is hiring? (May 2026)",
      author: "whoishiring",
      url: "https://news.ycombinator.com/item?id=47975571",
      engagement: 311,
      createdAt: new Date(1777647607 * 1000),
    });
    expect(mentions[0]?.metadata).toMatchObject({ num_comments: 555, type: "story" });
    expect(mentions[0]?.body).toContain("Please state the location and include REMOTE");
    expect(mentions.some((m) => /<[a-z]|&#x27;/i.test(m.body ?? ""))).toBe(false);
    expect(notes.hn_total_hits).toBe(182);
  });
});

describe.skipIf(!hasRealData("reddit"))(`reddit real sample (needs ${join(REALDATA, "reddit")})`, () => {
  const path = "reddit/praw_TestSubredditListings.test_new.1.response.json";
  it("is sniffed as reddit and yields 100 posts", async () => {
    expect(sniffFormat(sample(path), path)?.adapter.name).toBe("reddit");
    const { mentions, rejects } = await run(adapter("reddit"), realFile(path));
    expect(rejects).toEqual([]);
    expect(mentions).toHaveLength(100);
    expect(new Set(mentions.map((m) => m.externalId)).size).toBe(100);
    expect(mentions[0]).toMatchObject({
      externalId: "t3_48fbm9",
      author: "RedHeadQc",
      engagement: 1,
      createdAt: new Date(1456821458 * 1000),
      url: "https://www.reddit.com/r/AskReddit/comments/48fbm9/serious_parents_of_reddit_whats_the_biggest_lie/",
    });
    expect(mentions[0]?.metadata).toMatchObject({ subreddit: "AskReddit", num_comments: 1 });
  });
});

describe.skipIf(!hasRealData("x-twitter"))(`x real sample (needs ${join(REALDATA, "x-twitter")})`, () => {
  const path = "x-twitter/tweepy_test_client_search_recent_tweets.response.json";
  it("is sniffed as x and yields 10 posts dated from their ids", async () => {
    expect(sniffFormat(sample(path), path)?.adapter.name).toBe("x");
    const { mentions, rejects, notes } = await run(adapter("x"), realFile(path));
    expect(rejects).toEqual([]);
    expect(mentions).toHaveLength(10);
    expect(mentions[0]).toMatchObject({
      externalId: "1578516068309794817",
      body: "2022-10-07 22:42:12.637103 tweepy",
      url: "https://x.com/i/web/status/1578516068309794817",
      author: null,
      engagement: 0,
    });
    // No created_at was requested: the snowflake id gives 22:42:12.752 UTC, the text says 22:42:12.637.
    expect(mentions[0]?.createdAt.toISOString()).toBe("2022-10-07T22:42:12.752Z");
    expect(notes.x_next_token).toBe("b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul");
  });
});

describe.skipIf(!hasRealData("app-store"))(
  `appstore real sample (needs ${join(REALDATA, "app-store")})`,
  () => {
    const path = "app-store/reviews-viewer_sample_feed.json";
    it("is sniffed as appstore and yields 3 rated reviews", async () => {
      expect(sniffFormat(sample(path), path)?.adapter.name).toBe("appstore");
      const { mentions, rejects } = await run(adapter("appstore"), realFile(path));
      expect(rejects).toEqual([]);
      expect(mentions).toHaveLength(3);
      expect(mentions[0]).toMatchObject({
        externalId: "14115629180",
        author: "SuoQin16",
        title: "I really need to edit music",
        body: "I don’t get why the music on post cannot be changed. Please make it changeable.",
        rating: 4,
        engagement: 0,
        createdAt: new Date("2026-05-28T13:25:43Z"),
      });
      expect(mentions[0]?.metadata).toMatchObject({ version: "431.0.0", vote_count: 0 });
      expect(mentions.map((m) => m.rating)).toEqual([4, 5, expect.any(Number)]);
    });
  },
);
