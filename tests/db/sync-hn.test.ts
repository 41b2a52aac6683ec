import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mentions } from "../../db/schema/feedback";
import { importRuns, rejectedRows, sources } from "../../db/schema/ingest";
import { type SyncDeps, syncSource, syncSources } from "../../ingest/sync";
import { USER_AGENT } from "../../ingest/sync/fetch-retry";
import { createProduct } from "../../lib/queries/products";
import { createSource, getSource, type Source } from "../../lib/queries/sources";
import { ROOT } from "../helpers/cli";
import {
  algoliaSearchByDate,
  hnHit,
  localOnlyFetch,
  type ReplayServer,
  startReplayServer,
} from "../helpers/replay-server";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";

const T0 = 1795000000; // 2026-11-18T11:06:40Z
const NOW = new Date("2026-11-27T12:00:00Z");
const SAMPLE = join(ROOT, "..", "shared", "realdata", "hackernews", "internship-hunter_hn_search.json");

describe.each(ENGINES)("HN pull sync on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  let server: ReplayServer;
  let hits: Record<string, unknown>[];
  let deps: SyncDeps;
  let productSeq = 0;

  const newProduct = async () =>
    (
      await createProduct(t.db, {
        slug: `p${++productSeq}`,
        name: `P${productSeq}`,
        timezone: "UTC",
        weekStart: "monday",
      })
    ).id;
  const reload = async (s: Source) =>
    (await getSource(t.db, { productId: s.productId, sourceId: s.id })) as Source;
  const mentionIds = async (productId: number) =>
    (
      await t.db
        .select({ id: mentions.externalId })
        .from(mentions)
        .where(eq(mentions.productId, productId))
        .orderBy(asc(mentions.createdAt))
    ).map((m) => m.id);

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
    // Five valid comments and one without an objectID, three per page: two pages.
    hits = [1, 2, 3, 4, 5].map((n) => hnHit(n, T0 + n * 100));
    hits.push(hnHit(99, T0 + 50, { objectID: "" }));
    server.setHandler(algoliaSearchByDate(() => hits, 3));
    deps = {
      env: { NORTHSTAR_HN_API_URL: `${server.url}/api/v1` },
      now: () => NOW,
      retry: { fetch: localOnlyFetch, sleep: async () => {}, maxAttempts: 3 },
    };
  });

  it.skipIf(skip)("stores both pages, records the run, then fetches only after the cursor", async () => {
    const productId = await newProduct();
    let source = await createSource(t.db, { productId, kind: "hn", query: "northstar" });

    const first = await syncSource(t.db, source, deps);
    expect(first).toMatchObject({
      status: "succeeded",
      pages: 2,
      read: 6,
      inserted: 5,
      duplicates: 0,
      rejected: 1,
      stopped: "no more pages",
      cursor: `{"since":${T0 + 500}}`,
    });
    expect(server.requests.map((r) => [r.query.get("page"), r.query.get("numericFilters")])).toEqual([
      ["0", null],
      ["1", null],
    ]);
    expect(server.requests[0]?.query.get("query")).toBe("northstar");
    expect(server.requests[0]?.query.get("tags")).toBe("(story,comment)");
    expect(server.requests[0]?.headers["user-agent"]).toBe(USER_AGENT);
    expect(await mentionIds(productId)).toEqual(["1", "2", "3", "4", "5"]);

    const [run] = await t.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.id, first.runId as number));
    expect(run).toMatchObject({
      kind: "sync",
      format: "hn",
      sourceId: source.id,
      status: "succeeded",
      read: 6,
      inserted: 5,
      rejected: 1,
      fileName: "hn: northstar",
    });
    expect(run?.summary).toMatchObject({ pages: 2, max_pages: 50, stopped: "no more pages" });
    const rejects = await t.db
      .select({ line: rejectedRows.line, reason: rejectedRows.reason })
      .from(rejectedRows)
      .where(eq(rejectedRows.runId, first.runId as number));
    expect(rejects).toEqual([{ line: 2, reason: "page 2: objectID is missing" }]);
    const stored = await t.db
      .select({ runId: mentions.runId, body: mentions.body })
      .from(mentions)
      .where(and(eq(mentions.productId, productId), eq(mentions.externalId, "3")));
    expect(stored).toEqual([{ runId: first.runId, body: "Comment 3 about Northstar's funnels" }]);

    source = await reload(source);
    expect(source.cursor).toBe(`{"since":${T0 + 500}}`);
    expect(source.lastStatus).toBe("succeeded: 5 new, 0 duplicates, 1 rejected from 2 pages; no more pages");
    expect(source.lastSyncAt).toEqual(NOW);

    server.requests.length = 0;
    const second = await syncSource(t.db, source, deps);
    expect(second).toMatchObject({
      status: "succeeded",
      pages: 1,
      read: 0,
      inserted: 0,
      stopped: "no new items",
    });
    expect(server.requests.map((r) => [r.query.get("page"), r.query.get("numericFilters")])).toEqual([
      ["0", `created_at_i>${T0 + 500}`],
    ]);
    expect(second.runId).not.toBe(first.runId);

    // One new comment arrives: only it is fetched and stored.
    hits.push(hnHit(6, T0 + 600));
    const third = await syncSource(t.db, await reload(source), deps);
    expect(third).toMatchObject({
      status: "succeeded",
      read: 1,
      inserted: 1,
      cursor: `{"since":${T0 + 600}}`,
    });
    expect(await mentionIds(productId)).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  it.skipIf(skip)(
    "a run that fails mid-way keeps the committed page and resumes at the next one",
    async () => {
      const productId = await newProduct();
      const healthy = algoliaSearchByDate(() => hits, 3);
      server.setHandler((req) =>
        req.query.get("page") === "1" ? { status: 404, body: "gone" } : healthy(req),
      );
      const source = await createSource(t.db, { productId, kind: "hn", query: "flaky" });

      const broken = await syncSource(t.db, source, deps);
      expect(broken.status).toBe("failed");
      expect(broken.error).toMatch(
        /^page 2: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/search_by_date\?.*: HTTP 404/,
      );
      expect(broken).toMatchObject({ pages: 1, read: 3, inserted: 3 });
      expect(await mentionIds(productId)).toEqual(["3", "4", "5"]);
      const afterFailure = await reload(source);
      expect(afterFailure.cursor).toBe(`{"page":1,"newest":${T0 + 500}}`);
      expect(afterFailure.lastStatus).toMatch(/^failed: page 2: GET .*HTTP 404/);
      const [run] = await t.db
        .select()
        .from(importRuns)
        .where(eq(importRuns.id, broken.runId as number));
      expect(run).toMatchObject({ status: "failed", inserted: 3, sourceId: source.id });
      expect(run?.error).toMatch(/HTTP 404/);

      server.setHandler(healthy);
      server.requests.length = 0;
      const resumed = await syncSource(t.db, afterFailure, deps);
      expect(server.requests.map((r) => r.query.get("page"))).toEqual(["1"]);
      expect(resumed).toMatchObject({
        status: "succeeded",
        read: 3,
        inserted: 2,
        rejected: 1,
        cursor: `{"since":${T0 + 500}}`,
      });
      expect(await mentionIds(productId)).toEqual(["1", "2", "3", "4", "5"]);
    },
  );

  it.skipIf(skip)(
    "a source that keeps failing gets a failed run while the product's other source syncs",
    async () => {
      const productId = await newProduct();
      const healthy = algoliaSearchByDate(() => hits, 3);
      server.setHandler((req) =>
        req.query.get("query") === "down" ? { status: 503, body: "down" } : healthy(req),
      );
      const down = await createSource(t.db, { productId, kind: "hn", query: "down" });
      const up = await createSource(t.db, { productId, kind: "hn", query: "northstar" });

      const results = await syncSources(t.db, { productId }, deps);
      expect(results.map((r) => [r.sourceId, r.status])).toEqual([
        [down.id, "failed"],
        [up.id, "succeeded"],
      ]);
      expect(results[0]?.error).toMatch(/HTTP 503 Service Unavailable after 3 attempts$/);
      expect(server.requests.filter((r) => r.query.get("query") === "down")).toHaveLength(3);
      expect(results[1]).toMatchObject({ inserted: 5, pages: 2 });

      const runs = await t.db
        .select({
          sourceId: importRuns.sourceId,
          status: importRuns.status,
          error: importRuns.error,
          kind: importRuns.kind,
        })
        .from(importRuns)
        .where(eq(importRuns.productId, productId))
        .orderBy(asc(importRuns.id));
      expect(runs).toEqual([
        {
          sourceId: down.id,
          status: "failed",
          error: expect.stringMatching(/HTTP 503 Service Unavailable after 3 attempts$/),
          kind: "sync",
        },
        { sourceId: up.id, status: "succeeded", error: null, kind: "sync" },
      ]);
      const downRow = await reload(down);
      expect(downRow.lastStatus).toMatch(/^failed: GET .*: HTTP 503 Service Unavailable after 3 attempts$/);
      expect(downRow.cursor).toBeNull();
    },
  );

  it.skipIf(skip)("stops at the page limit and continues the backlog on the next run", async () => {
    const productId = await newProduct();
    const source = await createSource(t.db, { productId, kind: "hn", query: "northstar" });
    const capped = await syncSource(t.db, source, { ...deps, maxPages: 1 });
    expect(capped).toMatchObject({
      status: "succeeded",
      pages: 1,
      inserted: 3,
      cursor: `{"page":1,"newest":${T0 + 500}}`,
    });
    expect(capped.stopped).toBe("page limit (1) reached; the next run continues from the cursor");
    const rest = await syncSource(t.db, await reload(source), deps);
    expect(rest).toMatchObject({ pages: 1, inserted: 2, cursor: `{"since":${T0 + 500}}` });
  });

  it.skipIf(skip)("skips a source another sync is running, unless that claim is stale", async () => {
    const productId = await newProduct();
    const source = await createSource(t.db, { productId, kind: "hn", query: "northstar" });
    await t.db
      .update(sources)
      .set({ lastStatus: "running", lastSyncAt: new Date(NOW.getTime() - 60_000) })
      .where(eq(sources.id, source.id));
    const skipped = await syncSource(t.db, await reload(source), deps);
    expect(skipped).toMatchObject({
      status: "skipped",
      runId: null,
      stopped: "another sync of this source is running",
    });
    expect(server.requests).toHaveLength(0);

    await t.db
      .update(sources)
      .set({ lastSyncAt: new Date(NOW.getTime() - 2 * 3600_000) })
      .where(eq(sources.id, source.id));
    const taken = await syncSource(t.db, await reload(source), deps);
    expect(taken).toMatchObject({ status: "succeeded", inserted: 5 });
  });

  describe.skipIf(!existsSync(SAMPLE))(
    `with the real Algolia response (skipped when ${SAMPLE} is missing)`,
    () => {
      it.skipIf(skip)("replays the recorded page through the registered hn adapter", async () => {
        const productId = await newProduct();
        const recorded = readFileSync(SAMPLE);
        server.setHandler((req) =>
          req.query.get("page") === "0"
            ? { body: recorded, headers: { "content-type": "application/json" } }
            : { json: { hits: [], nbHits: 182, nbPages: 16, page: Number(req.query.get("page")) } },
        );
        const source = await createSource(t.db, { productId, kind: "hn", query: "hiring" });
        const result = await syncSource(t.db, source, deps);
        // The recording says nbPages 16; page 1 of the replay is empty, so the run stops there.
        expect(result).toMatchObject({
          status: "succeeded",
          pages: 2,
          read: 12,
          inserted: 12,
          rejected: 0,
          stopped: "no new items",
        });
        expect(result.cursor).toBe('{"since":1777647607}');
        const [top] = await t.db
          .select({ title: mentions.title, engagement: mentions.engagement, source: mentions.source })
          .from(mentions)
          .where(and(eq(mentions.productId, productId), eq(mentions.externalId, "47975571")));
        expect(top).toEqual({ title: "Ask HN: Who is hiring? (May 2026)", engagement: 311, source: "hn" });
      });
    },
  );
});
