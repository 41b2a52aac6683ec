import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { queryRows } from "../../db/rows";
import { createApiKey } from "../../lib/auth/api-keys";
import { createProduct } from "../../lib/queries/products";
import { type RunningApp, startApp } from "../helpers/app-server";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
const track = (id: string, patch: Record<string, unknown> = {}) => ({
  type: "track",
  messageId: id,
  anonymousId: "anon-1",
  event: "Signed Up",
  timestamp: "2026-11-20T10:00:00.000Z",
  properties: { plan: "pro" },
  ...patch,
});

describe.each(ENGINES)("ingest HTTP API on $label", ({ engine, skip }) => {
  let app: RunningApp;
  let target: { dataDir?: string; url?: string };
  let cleanup: () => Promise<void> = async () => {};
  const keys: Record<string, string> = {};

  async function countEvents(where = sql`true`): Promise<number> {
    const handle = await openDatabase({ databaseUrl: target.url ?? "", dataDir: target.dataDir });
    try {
      const [row] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from events where ${where}`,
      );
      return row?.n ?? 0;
    } finally {
      await handle.close();
    }
  }

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: (typeof body === "string" || body instanceof Uint8Array
        ? body
        : JSON.stringify(body)) as BodyInit,
    });

  beforeAll(async () => {
    if (skip) return;
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-ingest-"));
      target = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      target = { url: pg.url };
      cleanup = pg.drop;
    }
    const handle = await openDatabase({ databaseUrl: target.url ?? "", dataDir: target.dataDir });
    await migrateDatabase(handle.db, handle.engine);
    const product = await createProduct(handle.db, {
      slug: "app",
      name: "App",
      timezone: "UTC",
      weekStart: "monday",
    });
    const other = await createProduct(handle.db, {
      slug: "other",
      name: "Other",
      timezone: "UTC",
      weekStart: "monday",
    });
    for (const name of ["main", "batch", "posthog", "concurrent", "limits", "ratelimit"]) {
      keys[name] = (await createApiKey(handle.db, { productId: product.id, kind: "write" })).key;
    }
    keys.read = (await createApiKey(handle.db, { productId: product.id, kind: "read" })).key;
    keys.other = (await createApiKey(handle.db, { productId: other.id, kind: "write" })).key;
    await handle.close();
    app = await startApp(target, { NORTHSTAR_INGEST_RATE_PER_SECOND: "1", NORTHSTAR_INGEST_BURST: "30" });
  });
  afterAll(async () => {
    await app?.stop();
    await cleanup();
  });

  it.skipIf(skip)("accepts a Segment track call once, however often it is sent", async () => {
    const first = await post("/api/v1/track", track("seg-1"), { authorization: basic(keys.main as string) });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const again = await post("/api/v1/track", track("seg-1"), { authorization: `Bearer ${keys.main}` });
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(await countEvents(sql`message_id = 'seg-1'`)).toBe(1);
  });

  it.skipIf(skip)("takes a batch, rejecting bad messages by index with a reason", async () => {
    const res = await post(
      "/api/v1/batch",
      {
        batch: [
          track("b-1"),
          { ...track("b-2"), type: "page", name: "Pricing" },
          { type: "track", messageId: "b-3" },
        ],
      },
      { authorization: basic(keys.batch as string) },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]?.index).toBe(2);
    expect(body.rejected[0]?.reason).toMatch(/\S/);
  });

  it.skipIf(skip)("takes a gzipped PostHog batch with api_key in the body", async () => {
    const payload = {
      api_key: keys.posthog,
      batch: [
        {
          event: "$pageview",
          distinct_id: "ph-user",
          uuid: "0192e7d0-0000-7000-8000-000000000001",
          timestamp: "2026-11-20T10:00:00Z",
          properties: { $current_url: "https://example.com/pricing" },
        },
        {
          event: "signed_up",
          distinct_id: "ph-user",
          uuid: "0192e7d0-0000-7000-8000-000000000002",
          timestamp: "2026-11-20T10:01:00Z",
          properties: {},
        },
      ],
    };
    const res = await fetch(`${app.baseUrl}/api/v1/capture`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify(payload)) as unknown as BodyInit,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });

  it.skipIf(skip)("stores each message once when the same batch is sent 10 times at once", async () => {
    const batch = { batch: Array.from({ length: 50 }, (_, i) => track(`c-${i}`)) };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        post("/api/v1/batch", batch, { authorization: basic(keys.concurrent as string) }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as {
      accepted: number;
      duplicates: number;
    }[];
    expect(bodies.reduce((n, b) => n + b.accepted, 0)).toBe(50);
    expect(bodies.reduce((n, b) => n + b.duplicates, 0)).toBe(450);
    expect(await countEvents(sql`message_id like 'c-%'`)).toBe(50);
  });

  it.skipIf(skip)("answers 400, 401 and 413 for bad requests", async () => {
    const auth = { authorization: basic(keys.limits as string) };
    expect((await post("/api/v1/track", "{not json", auth)).status).toBe(400);
    expect((await post("/api/v1/track", track("x-1"))).status).toBe(401);
    expect(
      (await post("/api/v1/track", track("x-2"), { authorization: basic("ns_w_unknownkey0000000000") }))
        .status,
    ).toBe(401);
    expect(
      (await post("/api/v1/track", track("x-3"), { authorization: basic(keys.read as string) })).status,
    ).toBe(401);
    const big = track("x-4", { properties: { blob: "x".repeat(33 * 1024) } });
    expect((await post("/api/v1/track", big, auth)).status).toBe(413);
    const huge = {
      batch: Array.from({ length: 20 }, (_, i) =>
        track(`x-5-${i}`, { properties: { blob: "y".repeat(30 * 1024) } }),
      ),
    };
    expect((await post("/api/v1/batch", huge, auth)).status).toBe(413);
    expect(await countEvents(sql`message_id like 'x-%'`)).toBe(0);
  });

  it.skipIf(skip)("keeps each product's events apart", async () => {
    const res = await post("/api/v1/track", track("seg-1"), { authorization: basic(keys.other as string) });
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await countEvents(sql`message_id = 'seg-1'`)).toBe(2);
  });

  it.skipIf(skip)("answers 429 with Retry-After past the key's rate limit", async () => {
    const auth = { authorization: basic(keys.ratelimit as string) };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 35; i++) {
      const res = await post("/api/v1/track", track(`r-${i}`), auth);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
