import { describe, expect, it } from "vitest";
import { findDriver, resolveBaseUrl } from "../../ingest/sync/drivers";
import { appStoreDriver } from "../../ingest/sync/drivers/appstore";
import { hnDriver } from "../../ingest/sync/drivers/hn";
import { redditDriver } from "../../ingest/sync/drivers/reddit";
import { rssDriver } from "../../ingest/sync/drivers/rss";
import { typeformDriver } from "../../ingest/sync/drivers/typeform";
import { maxTweetId, xDriver } from "../../ingest/sync/drivers/x";
import type { FetchedPage } from "../../ingest/sync/types";

const page = (doc: unknown, status = 200, headers: Record<string, string> = {}): FetchedPage => ({
  status,
  headers: new Headers(headers),
  body: new TextEncoder().encode(typeof doc === "string" ? doc : JSON.stringify(doc)),
});
const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe("hn driver", () => {
  const input = { config: { query: "northstar" }, baseUrl: "http://127.0.0.1:1/api/v1/" };
  it("asks search_by_date for stories and comments, from the cursor's page and high-water mark", () => {
    const first = hnDriver.request(input, {});
    expect(new URL(first.url).pathname).toBe("/api/v1/search_by_date");
    expect(params(first.url)).toEqual({
      query: "northstar",
      tags: "(story,comment)",
      page: "0",
      hitsPerPage: "100",
    });
    const resumed = hnDriver.request(input, { since: 1700000000, page: 3, newest: 1700000500 });
    expect(params(resumed.url)).toMatchObject({ numericFilters: "created_at_i>1700000000", page: "3" });
  });

  it("walks pages until nbPages, then settles on the newest created_at_i seen", () => {
    const p0 = hnDriver.advance(
      {},
      page({ hits: [{ created_at_i: 300 }, { created_at_i: 250 }], nbPages: 2, page: 0 }),
    );
    expect(p0).toEqual({ cursor: { page: 1, newest: 300 }, more: true });
    const p1 = hnDriver.advance(p0.cursor, page({ hits: [{ created_at_i: 200 }], nbPages: 2, page: 1 }));
    expect(p1).toEqual({ cursor: { since: 300 }, more: false });
    // Next run: nothing newer.
    expect(hnDriver.advance({ since: 300 }, page({ hits: [], nbPages: 0 }))).toEqual({
      cursor: { since: 300 },
      more: false,
    });
    expect(hnDriver.settle({ since: 300, page: 4, newest: 420 })).toEqual({ since: 420 });
    expect(hnDriver.settle({})).toEqual({});
  });
});

describe("x driver", () => {
  const input = { config: { query: "northstar -is:retweet" }, baseUrl: "http://127.0.0.1:1", token: "t0k" };
  it("sends the bearer token in a header, since_id and next_token in the query", () => {
    const r = xDriver.request(input, { sinceId: "1800000000000000001", nextToken: "b26v89c19zqg8o3f" });
    expect(new URL(r.url).pathname).toBe("/2/tweets/search/recent");
    expect(params(r.url)).toMatchObject({
      query: "northstar -is:retweet",
      since_id: "1800000000000000001",
      next_token: "b26v89c19zqg8o3f",
      max_results: "100",
    });
    expect(r.headers.Authorization).toBe("Bearer t0k");
    expect(r.url).not.toContain("t0k");
  });

  it("compares tweet ids as 64-bit integers and settles on the newest", () => {
    // As floats these two are equal; as text "9..." > "1...".
    expect(maxTweetId("1800000000000000001", "1800000000000000002")).toBe("1800000000000000002");
    expect(maxTweetId("999999999999999999", "1000000000000000000")).toBe("1000000000000000000");
    const p0 = xDriver.advance(
      { sinceId: "100" },
      page({
        data: [{ id: "205" }, { id: "190" }],
        meta: { newest_id: "205", next_token: "n1", result_count: 2 },
      }),
    );
    expect(p0).toEqual({ cursor: { sinceId: "100", nextToken: "n1", newest: "205" }, more: true });
    const p1 = xDriver.advance(
      p0.cursor,
      page({ data: [{ id: "150" }], meta: { newest_id: "150", result_count: 1 } }),
    );
    expect(p1).toEqual({ cursor: { sinceId: "205" }, more: false });
    expect(xDriver.advance({ sinceId: "205" }, page({ meta: { result_count: 0 } }))).toEqual({
      cursor: { sinceId: "205" },
      more: false,
    });
  });
});

describe("reddit driver", () => {
  it("searches newest first and follows the listing's after token", () => {
    const r = redditDriver.request(
      { config: { query: "northstar app" }, baseUrl: "http://127.0.0.1:1" },
      { after: "t3_abc" },
    );
    expect(new URL(r.url).pathname).toBe("/search.json");
    expect(params(r.url)).toEqual({
      q: "northstar app",
      sort: "new",
      limit: "100",
      raw_json: "1",
      after: "t3_abc",
    });
    const listing = (after: string | null, n: number) =>
      page({
        kind: "Listing",
        data: { after, children: Array.from({ length: n }, () => ({ kind: "t3", data: {} })) },
      });
    expect(redditDriver.advance({}, listing("t3_x", 2))).toEqual({ cursor: { after: "t3_x" }, more: true });
    expect(redditDriver.advance({ after: "t3_x" }, listing(null, 1))).toEqual({ cursor: {}, more: false });
  });

  it("uses a listing URL as given, and the OAuth host when a token is set", () => {
    const byUrl = redditDriver.request(
      { config: { url: "https://www.reddit.com/r/selfhosted/new.json" }, baseUrl: "https://www.reddit.com" },
      {},
    );
    expect(byUrl.url).toBe("https://www.reddit.com/r/selfhosted/new.json?limit=100&raw_json=1");
    const oauth = redditDriver.request(
      { config: { query: "q" }, baseUrl: "https://www.reddit.com", token: "tk" },
      {},
    );
    expect(new URL(oauth.url).host).toBe("oauth.reddit.com");
    expect(oauth.headers.Authorization).toBe("Bearer tk");
  });
});

describe("appstore driver", () => {
  it("puts the page in the path and stops at the last page or an empty feed", () => {
    const input = { config: { query: "284882215", country: "gb" }, baseUrl: "http://127.0.0.1:1" };
    expect(new URL(appStoreDriver.request(input, {}).url).pathname).toBe(
      "/gb/rss/customerreviews/page=1/id=284882215/sortby=mostrecent/json",
    );
    expect(appStoreDriver.request(input, { page: 3 }).url).toContain("/page=3/");
    const feed = (entry: unknown, last = 10) => ({
      feed: { entry, link: [{ attributes: { rel: "last", href: `https://x/page=${last}/id=1/json` } }] },
    });
    expect(appStoreDriver.advance({}, page(feed([{}, {}])))).toEqual({ cursor: { page: 2 }, more: true });
    expect(appStoreDriver.advance({ page: 2 }, page(feed({})))).toEqual({ cursor: { page: 3 }, more: true });
    expect(appStoreDriver.advance({ page: 2 }, page({ feed: {} }))).toEqual({ cursor: {}, more: false });
    expect(appStoreDriver.advance({ page: 2 }, page(feed([{}], 2)))).toEqual({ cursor: {}, more: false });
    expect(appStoreDriver.advance({ page: 10 }, page(feed([{}], 20)))).toEqual({ cursor: {}, more: false });
  });

  it("substitutes the page in a configured feed URL", () => {
    const url = "https://itunes.apple.com/us/rss/customerreviews/page=1/id=42/sortby=mostrecent/json";
    expect(appStoreDriver.request({ config: { url }, baseUrl: "" }, { page: 4 }).url).toBe(
      url.replace("page=1", "page=4"),
    );
  });
});

describe("rss driver", () => {
  it("makes a conditional GET from the stored ETag and Last-Modified", () => {
    const input = { config: { url: "http://127.0.0.1:1/feed.xml" }, baseUrl: "" };
    expect(rssDriver.request(input, {}).headers["If-None-Match"]).toBeUndefined();
    const r = rssDriver.request(input, { etag: '"abc"', lastModified: "Wed, 25 Nov 2026 10:00:00 GMT" });
    expect(r.url).toBe("http://127.0.0.1:1/feed.xml");
    expect(r.headers["If-None-Match"]).toBe('"abc"');
    expect(r.headers["If-Modified-Since"]).toBe("Wed, 25 Nov 2026 10:00:00 GMT");
    const fresh = rssDriver.advance(
      {},
      page("<rss/>", 200, { ETag: '"def"', "Last-Modified": "Thu, 26 Nov 2026 10:00:00 GMT" }),
    );
    expect(fresh).toEqual({
      cursor: { etag: '"def"', lastModified: "Thu, 26 Nov 2026 10:00:00 GMT" },
      more: false,
    });
    expect(rssDriver.advance({ etag: '"abc"' }, page("", 304))).toEqual({
      cursor: { etag: '"abc"' },
      more: false,
    });
  });
});

describe("typeform driver", () => {
  it("pages with before=<last token> under a fixed since, then settles on the newest submitted_at", () => {
    const input = { config: { query: "abc123" }, baseUrl: "http://127.0.0.1:1", token: "tf" };
    const r = typeformDriver.request(input, { since: "2026-11-01T00:00:00Z", before: "tok9" });
    expect(new URL(r.url).pathname).toBe("/forms/abc123/responses");
    expect(params(r.url)).toEqual({ page_size: "100", since: "2026-11-01T00:00:00Z", before: "tok9" });
    expect(r.headers.Authorization).toBe("Bearer tf");
    const p0 = typeformDriver.advance(
      {},
      page({
        total_items: 3,
        page_count: 2,
        items: [
          { token: "t3", submitted_at: "2026-11-20T10:00:00Z" },
          { token: "t2", submitted_at: "0001-01-01T00:00:00Z" },
        ],
      }),
    );
    expect(p0).toEqual({ cursor: { before: "t2", newest: "2026-11-20T10:00:00Z" }, more: true });
    const p1 = typeformDriver.advance(
      p0.cursor,
      page({ total_items: 1, page_count: 1, items: [{ token: "t1", submitted_at: "2026-11-19T10:00:00Z" }] }),
    );
    expect(p1).toEqual({ cursor: { since: "2026-11-20T10:00:00Z" }, more: false });
  });
});

describe("base URL resolution", () => {
  it("prefers the source's baseUrl, then the kind's env override, then the public API", () => {
    const hn = findDriver("hn");
    if (!hn) throw new Error("hn driver missing");
    const env = { NORTHSTAR_HN_API_URL: "http://127.0.0.1:5/api/v1" };
    expect(resolveBaseUrl(hn, { baseUrl: "http://127.0.0.1:6/v1" }, env)).toBe("http://127.0.0.1:6/v1");
    expect(resolveBaseUrl(hn, {}, env)).toBe("http://127.0.0.1:5/api/v1");
    expect(resolveBaseUrl(hn, {}, {})).toBe("https://hn.algolia.com/api/v1");
    expect(findDriver("x")?.baseUrlEnv).toBe("NORTHSTAR_X_API_URL");
    expect(findDriver("reddit")?.baseUrlEnv).toBe("NORTHSTAR_REDDIT_API_URL");
    expect(findDriver("appstore")?.baseUrlEnv).toBe("NORTHSTAR_APPSTORE_API_URL");
    expect(findDriver("typeform")?.baseUrlEnv).toBe("NORTHSTAR_TYPEFORM_API_URL");
    expect(findDriver("rss")?.baseUrlEnv).toBeNull();
    expect(findDriver("constructor")).toBeUndefined();
  });
});
