import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { mentions, surveyResponses } from "../../db/schema/feedback";
import { importRuns, sources } from "../../db/schema/ingest";
import { readAllText } from "../../ingest/adapters/read-text";
import type { Adapter } from "../../ingest/adapters/types";
import { type SyncDeps, syncSource, syncSources } from "../../ingest/sync";
import { createProduct } from "../../lib/queries/products";
import {
  createSource,
  deleteSource,
  getSource,
  listSources,
  listSourcesToSync,
  type Source,
  SourceExistsError,
} from "../../lib/queries/sources";
import { ROOT } from "../helpers/cli";
import {
  inSequence,
  localOnlyFetch,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from "../helpers/replay-server";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";

const NOW = new Date("2026-11-27T12:00:00Z");
const APPSTORE_SAMPLE = join(
  ROOT,
  "..",
  "shared",
  "realdata",
  "app-store",
  "reviews-viewer_sample_feed.json",
);

/** A stand-in X adapter written to the Adapter contract: one mention per `data[]` tweet. */
const fakeX: Adapter = {
  name: "x",
  kind: "social",
  description: "test double",
  sniff: () => 0,
  async *parse(input) {
    const doc = JSON.parse(await readAllText(input)) as {
      data?: { id: string; text: string; created_at: string }[];
    };
    for (const [i, t] of (doc.data ?? []).entries()) {
      yield {
        kind: "mention",
        line: i,
        value: { externalId: t.id, createdAt: new Date(t.created_at), body: t.text },
      };
    }
  },
};

const tweet = (id: string, day: number) => ({
  id,
  text: `tweet ${id} about northstar`,
  created_at: `2026-11-${day}T10:00:00.000Z`,
});

const rssFeed = (items: [string, string][]) => `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Blog</title>${items
  .map(
    ([guid, date]) =>
      `<item><guid>${guid}</guid><title>Post ${guid}</title><pubDate>${date}</pubDate></item>`,
  )
  .join("")}</channel></rss>`;

describe.each(ENGINES)("sources and sync of other kinds on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  let server: ReplayServer;
  let deps: SyncDeps;
  let seq = 0;
  const newProduct = async () =>
    (await createProduct(t.db, { slug: `s${++seq}`, name: `S${seq}`, timezone: "UTC", weekStart: "monday" }))
      .id;
  const reload = async (s: Source) =>
    (await getSource(t.db, { productId: s.productId, sourceId: s.id })) as Source;

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(engine);
    server = await startReplayServer(() => ({ status: 404 }));
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });
  beforeEach(() => {
    if (skip) return;
    server.requests.length = 0;
    deps = {
      env: {
        NORTHSTAR_X_API_URL: server.url,
        NORTHSTAR_APPSTORE_API_URL: server.url,
        NORTHSTAR_TYPEFORM_API_URL: server.url,
        NS_TEST_X_TOKEN: "secret-x-token",
      },
      now: () => NOW,
      retry: { fetch: localOnlyFetch, sleep: async () => {}, maxAttempts: 2 },
    };
  });

  it.skipIf(skip)(
    "adds, lists and removes sources per product, refusing incomplete or duplicate ones",
    async () => {
      const a = await newProduct();
      const b = await newProduct();
      const hn = await createSource(t.db, { productId: a, kind: "hn", query: "northstar" });
      expect(hn).toMatchObject({
        kind: "hn",
        adapter: "hn",
        config: { query: "northstar" },
        enabled: true,
        cursor: null,
      });
      await expect(
        createSource(t.db, { productId: a, kind: "hn", query: "northstar" }),
      ).rejects.toBeInstanceOf(SourceExistsError);
      // The same query in another product is another source.
      const other = await createSource(t.db, { productId: b, kind: "hn", query: "northstar" });
      await expect(createSource(t.db, { productId: a, kind: "rss" })).rejects.toThrow(
        /rss sources need --url/,
      );
      await expect(createSource(t.db, { productId: a, kind: "x", query: "q" })).rejects.toThrow(
        /--token-env/,
      );
      await expect(
        createSource(t.db, { productId: a, kind: "x", query: "q", tokenEnv: "Bearer abc.def" }),
      ).rejects.toBeInstanceOf(ZodError);
      await expect(createSource(t.db, { productId: a, kind: "appstore", query: "Pages" })).rejects.toThrow(
        /numeric/,
      );
      await expect(
        createSource(t.db, { productId: a, kind: "mastodon" as "hn", query: "q" }),
      ).rejects.toThrow(/kind must be/);
      await expect(
        createSource(t.db, { productId: a, kind: "rss", url: "file:///etc/passwd" }),
      ).rejects.toThrow(/not an http/);

      expect((await listSources(t.db, { productId: a })).map((s) => s.id)).toEqual([hn.id]);
      expect(await deleteSource(t.db, { productId: b, sourceId: hn.id })).toBe(false); // not b's
      expect(await deleteSource(t.db, { productId: a, sourceId: hn.id })).toBe(true);
      expect(await listSources(t.db, { productId: a })).toEqual([]);
      expect((await listSourcesToSync(t.db, { productId: b })).map((s) => s.id)).toEqual([other.id]);
    },
  );

  it.skipIf(skip)(
    "sends the token from the named variable, never stores it, and follows next_token then since_id",
    async () => {
      const productId = await newProduct();
      const source = await createSource(t.db, {
        productId,
        kind: "x",
        query: "northstar",
        tokenEnv: "NS_TEST_X_TOKEN",
      });
      server.setHandler(
        inSequence([
          {
            json: {
              data: [tweet("1800000000000000003", 20), tweet("1800000000000000002", 19)],
              meta: { newest_id: "1800000000000000003", next_token: "n1", result_count: 2 },
            },
          },
          {
            json: {
              data: [tweet("1800000000000000001", 18)],
              meta: { newest_id: "1800000000000000001", result_count: 1 },
            },
          },
          { json: { meta: { result_count: 0 } } },
        ]),
      );
      const result = await syncSource(t.db, source, {
        ...deps,
        findAdapter: (name) => (name === "x" ? fakeX : undefined),
      });
      expect(result).toMatchObject({
        status: "succeeded",
        pages: 2,
        inserted: 3,
        cursor: '{"sinceId":"1800000000000000003"}',
      });
      expect(
        server.requests.map((r) => [
          r.path,
          r.headers.authorization,
          r.query.get("next_token"),
          r.query.get("since_id"),
        ]),
      ).toEqual([
        ["/2/tweets/search/recent", "Bearer secret-x-token", null, null],
        ["/2/tweets/search/recent", "Bearer secret-x-token", "n1", null],
      ]);
      const row = await reload(source);
      expect(JSON.stringify(row)).not.toContain("secret-x-token");
      expect(row.config).toEqual({ query: "northstar", tokenEnv: "NS_TEST_X_TOKEN" });

      const again = await syncSource(t.db, row, { ...deps, findAdapter: () => fakeX });
      expect(again).toMatchObject({ status: "succeeded", inserted: 0, read: 0, stopped: "no new items" });
      expect(server.requests[2]?.query.get("since_id")).toBe("1800000000000000003");

      const noToken = await syncSource(t.db, row, {
        ...deps,
        env: { NORTHSTAR_X_API_URL: server.url },
        findAdapter: () => fakeX,
      });
      expect(noToken).toMatchObject({ status: "failed", pages: 0 });
      expect(noToken.error).toBe("environment variable NS_TEST_X_TOKEN (named by --token-env) is not set");
      expect(server.requests).toHaveLength(3);
      const [run] = await t.db
        .select()
        .from(importRuns)
        .where(eq(importRuns.id, noToken.runId as number));
      expect(run).toMatchObject({ kind: "sync", status: "failed", error: noToken.error });
    },
  );

  it.skipIf(skip)("fetches an RSS feed with a conditional GET and stops on 304", async () => {
    const productId = await newProduct();
    const feed = rssFeed([
      ["post-2", "Tue, 24 Nov 2026 09:00:00 GMT"],
      ["post-1", "Mon, 23 Nov 2026 09:00:00 GMT"],
    ]);
    server.setHandler(
      (req): ReplayResponse =>
        req.headers["if-none-match"] === '"v1"'
          ? { status: 304, headers: { ETag: '"v1"' } }
          : { body: feed, headers: { "content-type": "application/rss+xml", ETag: '"v1"' } },
    );
    const source = await createSource(t.db, { productId, kind: "rss", url: `${server.url}/blog/feed.xml` });
    const first = await syncSource(t.db, source, deps);
    expect(first).toMatchObject({
      status: "succeeded",
      pages: 1,
      inserted: 2,
      cursor: '{"etag":"\\"v1\\""}',
    });
    const second = await syncSource(t.db, await reload(source), deps);
    expect(second).toMatchObject({
      status: "succeeded",
      pages: 1,
      read: 0,
      inserted: 0,
      stopped: "not modified since the last sync",
    });
    expect(server.requests.map((r) => [r.path, r.headers["if-none-match"] ?? null])).toEqual([
      ["/blog/feed.xml", null],
      ["/blog/feed.xml", '"v1"'],
    ]);
    const titles = await t.db
      .select({ title: mentions.title })
      .from(mentions)
      .where(eq(mentions.productId, productId))
      .orderBy(asc(mentions.createdAt));
    expect(titles.map((m) => m.title)).toEqual(["Post post-1", "Post post-2"]);
  });

  it.skipIf(skip)("pages Typeform responses with before=<token> under the bearer token", async () => {
    const productId = await newProduct();
    const response = (token: string, at: string, score: number) => ({
      landing_id: token,
      token,
      response_id: token,
      landed_at: at,
      submitted_at: at,
      answers: [
        { field: { id: "nps1", type: "nps", ref: "nps" }, type: "number", number: score },
        { field: { id: "why1", type: "long_text", ref: "why" }, type: "text", text: `because ${token}` },
      ],
    });
    server.setHandler((req) =>
      req.query.get("before") === "r2"
        ? { json: { total_items: 1, page_count: 1, items: [response("r1", "2026-11-20T10:00:00Z", 3)] } }
        : {
            json: {
              total_items: 3,
              page_count: 2,
              items: [response("r3", "2026-11-22T10:00:00Z", 10), response("r2", "2026-11-21T10:00:00Z", 8)],
            },
          },
    );
    const source = await createSource(t.db, {
      productId,
      kind: "typeform",
      query: "FORM42",
      tokenEnv: "NS_TEST_X_TOKEN",
    });
    const result = await syncSource(t.db, source, deps);
    expect(result).toMatchObject({
      status: "succeeded",
      pages: 2,
      cursor: '{"since":"2026-11-22T10:00:00Z"}',
    });
    // One NPS response with its comment per Typeform response: three rows, scores 10, 8 and 3.
    expect(result).toMatchObject({ read: 3, inserted: 3, rejected: 0 });
    const scores = await t.db
      .select({ score: surveyResponses.score, comment: surveyResponses.comment })
      .from(surveyResponses)
      .where(eq(surveyResponses.productId, productId))
      .orderBy(asc(surveyResponses.submittedAt));
    expect(scores).toEqual([
      { score: 3, comment: "because r1" },
      { score: 8, comment: "because r2" },
      { score: 10, comment: "because r3" },
    ]);
    expect(server.requests.map((r) => [r.path, r.query.get("before"), r.headers.authorization])).toEqual([
      ["/forms/FORM42/responses", null, "Bearer secret-x-token"],
      ["/forms/FORM42/responses", "r2", "Bearer secret-x-token"],
    ]);
    const [run] = await t.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.id, result.runId as number));
    expect(run).toMatchObject({ format: "typeform", kind: "sync", sourceId: source.id, status: "succeeded" });
  });

  describe.skipIf(!existsSync(APPSTORE_SAMPLE))(
    `App Store replay (skipped when ${APPSTORE_SAMPLE} is missing)`,
    () => {
      it.skipIf(skip)(
        "reads pages until the feed has no entry, then starts from page 1 next time",
        async () => {
          const productId = await newProduct();
          const recorded = readFileSync(APPSTORE_SAMPLE);
          server.setHandler((req) =>
            req.path.includes("/page=1/")
              ? { body: recorded }
              : { json: { feed: { author: {}, title: { label: "x" } } } },
          );
          const source = await createSource(t.db, {
            productId,
            kind: "appstore",
            query: "1234567890",
            country: "GB",
          });
          const first = await syncSource(t.db, source, deps);
          expect(first).toMatchObject({
            status: "succeeded",
            pages: 2,
            inserted: 3,
            stopped: "no new items",
            cursor: null,
          });
          expect(server.requests.map((r) => r.path)).toEqual([
            "/gb/rss/customerreviews/page=1/id=1234567890/sortby=mostrecent/json",
            "/gb/rss/customerreviews/page=2/id=1234567890/sortby=mostrecent/json",
          ]);
          const again = await syncSource(t.db, await reload(source), deps);
          expect(again).toMatchObject({
            pages: 1,
            inserted: 0,
            duplicates: 3,
            stopped: "caught up (a page brought nothing new)",
          });
          const ratings = await t.db
            .select({ rating: mentions.rating })
            .from(mentions)
            .where(eq(mentions.productId, productId))
            .orderBy(asc(mentions.rating));
          expect(ratings.map((r) => r.rating)).toEqual([1, 4, 5]);
        },
      );
    },
  );

  it.skipIf(skip)("syncs only enabled sources unless one is named", async () => {
    const productId = await newProduct();
    server.setHandler(() => ({ body: rssFeed([["only", "Mon, 23 Nov 2026 09:00:00 GMT"]]) }));
    const on = await createSource(t.db, { productId, kind: "rss", url: `${server.url}/on.xml` });
    const off = await createSource(t.db, { productId, kind: "rss", url: `${server.url}/off.xml` });
    await t.db.update(sources).set({ enabled: false }).where(eq(sources.id, off.id));
    expect((await syncSources(t.db, { productId }, deps)).map((r) => r.sourceId)).toEqual([on.id]);
    expect(
      (await syncSources(t.db, { productId, sourceId: off.id }, deps)).map((r) => [r.sourceId, r.status]),
    ).toEqual([[off.id, "succeeded"]]);
  });
});
