import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createApiKey } from "../../lib/auth/api-keys";
import { getProductBySlug } from "../../lib/queries/products";
import { loadMetricsDataset } from "../db/metrics-dataset";
import { type RunningApp, startApp } from "../helpers/app-server";
import { dbEnv, runCli } from "../helpers/cli";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

const NOW = "2026-04-15T12:00:00Z";

describe.each(ENGINES)("the read API on $label", ({ engine, skip }) => {
  let app: RunningApp;
  let target: { dataDir?: string; url?: string };
  let cleanup: () => Promise<void> = async () => {};
  const keys = { read: "", write: "", otherRead: "" };
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}/api/v1/products/${path}`, { headers });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    if (skip) return;
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-read-api-"));
      target = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      target = { url: pg.url };
      cleanup = pg.drop;
    }
    const handle = await openDatabase({ databaseUrl: target.url ?? "", dataDir: target.dataDir });
    await migrateDatabase(handle.db, handle.engine);
    await loadMetricsDataset(handle.db);
    const berlin = await getProductBySlug(handle.db, "berlin");
    const tokyo = await getProductBySlug(handle.db, "tokyo");
    keys.read = (await createApiKey(handle.db, { productId: berlin?.id as number, kind: "read" })).key;
    keys.write = (await createApiKey(handle.db, { productId: berlin?.id as number, kind: "write" })).key;
    keys.otherRead = (await createApiKey(handle.db, { productId: tokyo?.id as number, kind: "read" })).key;
    await handle.close();
    app = await startApp(target, { NORTHSTAR_NOW: NOW });
  });
  afterAll(async () => {
    await app?.stop();
    await cleanup();
  });

  it.skipIf(skip)("refuses requests without a read key of the product", async () => {
    const none = await get("berlin/kpis?week=2026-W13");
    expect(none.status).toBe(401);
    expect((await none.json()).error).toMatch(/missing API key/);
    expect((await get("berlin/kpis?week=2026-W13", bearer(keys.write))).status).toBe(401);
    expect((await get("berlin/kpis?week=2026-W13", bearer("ns_r_notakeyatall000000000000000"))).status).toBe(
      401,
    );
    expect((await get("berlin/kpis?week=2026-W13", bearer(keys.otherRead))).status).toBe(404);
    expect((await get("nosuch/kpis?week=2026-W13", bearer(keys.read))).status).toBe(404);
  });

  it.skipIf(skip)("answers 400 with the reason for bad parameters", async () => {
    const week = await get("berlin/kpis?week=2026-W60", bearer(keys.read));
    expect(week.status).toBe(400);
    expect(await week.json()).toEqual({ error: "2026 has no week 60" });
    const steps = await get("berlin/funnel?from=2026-03-23&to=2026-03-29&steps=pageview", bearer(keys.read));
    expect(steps.status).toBe(400);
    expect((await steps.json()).error).toMatch(/2 to 10 steps/);
    const mode = await get(
      "berlin/retention?from=2026-03-16&to=2026-03-29&mode=sometimes",
      bearer(keys.read),
    );
    expect(mode.status).toBe(400);
    expect((await mode.json()).error).toMatch(/^mode:/);
  });

  it.skipIf(skip)("serves the same KPIs as the CLI, with Bearer or Basic authentication", async () => {
    const res = await get("berlin/kpis?week=2026-W13", bearer(keys.read));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.metrics).toMatchObject({ wau: 3, mau: 4, new_users: 2, sessions: 5, bounce_rate: 0.6 });
    const basic = await get("berlin/kpis?week=2026-W13", {
      authorization: `Basic ${Buffer.from(`${keys.read}:`).toString("base64")}`,
    });
    expect(await basic.json()).toEqual(body);
    const cli = await runCli(["metrics", "kpis", "--product", "berlin", "--week", "2026-W13", "--json"], {
      ...dbEnv(target),
      NORTHSTAR_NOW: NOW,
    });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(body);
  });

  it.skipIf(skip)("serves funnels, retention and adoption", async () => {
    const funnel = await (
      await get(
        "berlin/funnel?from=2026-03-23&to=2026-03-29&steps=pageview,signed_up&window=1h",
        bearer(keys.read),
      )
    ).json();
    expect(funnel.steps.map((s: { count: number }) => s.count)).toEqual([3, 1]);
    const retention = await (
      await get("berlin/retention?from=2026-03-16&to=2026-03-29", bearer(keys.read))
    ).json();
    expect(retention.cohorts[1].retained.slice(0, 5)).toEqual([2, 1, 0, 0, null]);
    const adoption = await (await get("berlin/adoption?week=2026-W13", bearer(keys.read))).json();
    expect(adoption.features.map((f: { key: string; adopters: number }) => [f.key, f.adopters])).toEqual([
      ["pro-purchase", 1],
      ["signup", 1],
    ]);
  });
});
