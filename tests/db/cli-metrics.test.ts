import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPglite, openPostgres } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { dbEnv, runCli } from "../helpers/cli";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";
import { loadMetricsDataset } from "./metrics-dataset";

const json = async (args: string[], env: Record<string, string | undefined>) => {
  const r = await runCli([...args, "--json"], env);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe.each(ENGINES)("metrics via the CLI on $label", ({ engine, skip }) => {
  let env: Record<string, string | undefined>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (skip) return;
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-cli-metrics-"));
      const { pglite, db } = await createPglite(dir);
      await migrateDatabase(db, "pglite");
      await loadMetricsDataset(db);
      await pglite.close();
      env = dbEnv({ dataDir: dir });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      const handle = await openPostgres(pg.url, 2);
      await migrateDatabase(handle.db, "postgres");
      await loadMetricsDataset(handle.db);
      await handle.close();
      env = dbEnv({ url: pg.url });
      cleanup = pg.drop;
    }
    env.NORTHSTAR_NOW = "2026-04-15T12:00:00Z";
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it.skipIf(skip)("prints the KPI set with the previous week and targets", async () => {
    const set = await json(["targets", "set", "--product", "berlin", "--metric", "wau", "--value", "5"], env);
    expect(set).toEqual({
      product: "berlin",
      metric: "wau",
      period: "week",
      value: 5,
      direction: "at_least",
    });
    expect(await json(["targets", "list", "--product", "berlin"], env)).toEqual({
      product: "berlin",
      targets: [{ metric: "wau", period: "week", value: 5, direction: "at_least" }],
    });
    const r = await json(["metrics", "kpis", "--product", "berlin", "--week", "2026-W13"], env);
    expect(r.product).toBe("berlin");
    expect(r.period).toMatchObject({
      start: "2026-03-22T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
      first_day: "2026-03-23",
      last_day: "2026-03-29",
    });
    expect(r.metrics).toMatchObject({
      wau: 3,
      mau: 4,
      new_users: 2,
      returning_users: 1,
      sessions: 5,
      pageviews: 4,
      bounce_rate: 0.6,
      avg_session_seconds: 120,
      nps: 25,
      conversion: { signed_up: { converters: 1 }, purchase: { converters: 1 } },
    });
    expect(r.metrics.dau).toBeCloseTo(5 / 7, 12);
    expect(r.previous).toMatchObject({ wau: 1, sessions: 1, avg_session_seconds: 1200 });
    expect(Object.keys(r.previous)).toEqual(Object.keys(r.metrics));
    expect(r.targets.wau).toMatchObject({ target: 5, value: 3, status: "off_track" });
  });

  it.skipIf(skip)("takes custom ranges and goals, and prints text without --json", async () => {
    const custom = await json(
      [
        "metrics",
        "kpis",
        "--product",
        "berlin",
        "--from",
        "2026-03-23",
        "--to",
        "2026-03-29",
        "--goals",
        "signed_up",
      ],
      env,
    );
    expect(custom.metrics).toMatchObject({
      wau: 3,
      active_users: 3,
      conversion: { signed_up: { rate: 1 / 3 } },
    });
    expect(custom.targets).toEqual({});
    const text = await runCli(["metrics", "kpis", "--product", "berlin", "--week", "2026-W13"], env);
    expect(text.stdout).toMatch(/wau\s+3\s+1\s+200\.0%\s+5 off_track/);
  });

  it.skipIf(skip)("prints a funnel with its window", async () => {
    const f = await json(
      [
        "metrics",
        "funnel",
        "--product",
        "berlin",
        "--steps",
        "pageview,signed_up",
        "--from",
        "2026-03-23",
        "--to",
        "2026-03-29",
        "--window",
        "1h",
      ],
      env,
    );
    expect(f.window_seconds).toBe(3600);
    expect(f.steps).toEqual([
      expect.objectContaining({ name: "pageview", count: 3, conversion_from_start: 1, drop_off: 0 }),
      expect.objectContaining({
        name: "signed_up",
        count: 1,
        conversion_from_previous: 1 / 3,
        drop_off: 2,
        median_seconds_to_convert: 600,
        p90_seconds_to_convert: 600,
      }),
    ]);
    const tight = await json(
      [
        "metrics",
        "funnel",
        "--product",
        "berlin",
        "--steps",
        "pageview,signed_up",
        "--from",
        "2026-03-23",
        "--to",
        "2026-03-29",
        "--window",
        "300s",
      ],
      env,
    );
    expect(tight.steps[1].count).toBe(0);
  });

  it.skipIf(skip)("prints retention cohorts and feature adoption", async () => {
    const r = await json(
      ["metrics", "retention", "--product", "berlin", "--from", "2026-03-16", "--to", "2026-03-29"],
      env,
    );
    expect(r.cohorts.map((c: { cohort: string; size: number }) => [c.cohort, c.size])).toEqual([
      ["2026-03-16", 1],
      ["2026-03-23", 2],
    ]);
    expect(r.cohorts[1].retained.slice(0, 5)).toEqual([2, 1, 0, 0, null]);

    const a = await json(["metrics", "adoption", "--product", "berlin", "--week", "2026-W13"], env);
    expect(a.features.map((x: { key: string; adopters: number }) => [x.key, x.adopters])).toEqual([
      ["pro-purchase", 1],
      ["signup", 1],
    ]);
  });

  it.skipIf(skip)("prints feedback figures", async () => {
    const fb = await json(["metrics", "feedback", "--product", "berlin", "--week", "2026-W13"], env);
    expect(fb).toMatchObject({
      nps: 25,
      nps_responses: 4,
      promoters: 2,
      passives: 1,
      detractors: 1,
      csat: 50,
      csat_responses: 2,
      comments: 2,
      mentions: 3,
      mentions_by_source: { hn: 2, reddit: 1 },
    });
  });

  it.skipIf(skip)("rejects bad periods with one line on stderr", async () => {
    const week = await runCli(["metrics", "kpis", "--product", "berlin", "--week", "2026-W60"], env);
    expect(week.code).not.toBe(0);
    expect(week.stderr.trim()).toBe("error: 2026 has no week 60");
    const both = await runCli(
      ["metrics", "kpis", "--product", "berlin", "--week", "2026-W13", "--day", "2026-03-23"],
      env,
    );
    expect(both.stderr).toMatch(/exactly one period/);
  });

  it.skipIf(skip)("rejects bad funnels, metrics and products", async () => {
    const steps = await runCli(
      [
        "metrics",
        "funnel",
        "--product",
        "berlin",
        "--steps",
        "pageview",
        "--from",
        "2026-03-23",
        "--to",
        "2026-03-29",
      ],
      env,
    );
    expect(steps.stderr.trim()).toBe("error: --steps: a funnel takes 2 to 10 steps");
    const metric = await runCli(
      ["targets", "set", "--product", "berlin", "--metric", "happiness", "--value", "1"],
      env,
    );
    expect(metric.stderr).toMatch(/metric must be one of/);
    const product = await runCli(["metrics", "adoption", "--product", "nope", "--week", "2026-W13"], env);
    expect(product.stderr).toMatch(/no product "nope"/);
  });
});
