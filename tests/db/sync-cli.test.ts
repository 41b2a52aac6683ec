import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbEnv, runCli } from "../helpers/cli";
import { algoliaSearchByDate, hnHit, type ReplayServer, startReplayServer } from "../helpers/replay-server";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

const T0 = 1795000000; // 2026-11-18T11:06:40Z

describe.each(ENGINES)("sources and sync via the CLI on $label", ({ engine, skip }) => {
  let env: Record<string, string | undefined>;
  let cleanup: () => Promise<void>;
  let server: ReplayServer;
  beforeAll(async () => {
    if (skip) return;
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-sync-cli-"));
      env = dbEnv({ dataDir: dir });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      env = dbEnv({ url: pg.url });
      cleanup = pg.drop;
    }
    const hits = [1, 2, 3, 4, 5].map((n) => hnHit(n, T0 + n * 100));
    const hn = algoliaSearchByDate(() => hits, 3);
    // "down" always answers 503; Retry-After: 0 keeps the four attempts instant.
    server = await startReplayServer((req) =>
      req.query.get("query") === "down"
        ? { status: 503, headers: { "Retry-After": "0" }, body: "down" }
        : hn(req),
    );
    env.NORTHSTAR_HN_API_URL = `${server.url}/api/v1`;
    env.NORTHSTAR_NOW = "2026-11-27T12:00:00Z";
  });
  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  // Each CLI run is a fresh process (2-10 s on a busy machine): this test makes nine.
  it.skipIf(skip)(
    "adds, lists and removes sources, and syncs them as JSON for cron",
    { timeout: 400_000 },
    async () => {
      expect((await runCli(["products", "add", "atlas", "--name", "Atlas"], env)).code).toBe(0);

      const add = await runCli(
        ["sources", "add", "--product", "atlas", "--kind", "hn", "--query", "northstar", "--json"],
        env,
      );
      expect(add.stderr).toBe("");
      expect(add.code).toBe(0);
      const hn = JSON.parse(add.stdout) as { id: number };
      expect(JSON.parse(add.stdout)).toMatchObject({
        kind: "hn",
        query: "northstar",
        tokenEnv: null,
        enabled: true,
        cursor: null,
      });

      const noToken = await runCli(
        ["sources", "add", "--product", "atlas", "--kind", "x", "--query", "northstar"],
        env,
      );
      expect(noToken.code).toBe(1);
      expect(noToken.stderr).toBe(
        "error: x sources need --token-env <NAME> (the API requires a bearer token)\n",
      );
      const addDown = await runCli(
        ["sources", "add", "--product", "atlas", "--kind", "hn", "--query", "down", "--json"],
        env,
      );
      const down = JSON.parse(addDown.stdout) as { id: number };
      const list = await runCli(["sources", "list", "--product", "atlas", "--json"], env);
      expect(list.code).toBe(0);
      expect(
        (JSON.parse(list.stdout) as { id: number; query: string }[]).map((s) => [s.id, s.query]),
      ).toEqual([
        [hn.id, "northstar"],
        [down.id, "down"],
      ]);

      // One source fails after its retries; the other still syncs; the exit code says something failed.
      const sync = await runCli(["sync", "--product", "atlas", "--json"], env);
      expect(sync.code).toBe(1);
      expect(sync.stderr).toMatch(
        /^error: 1 of 2 sources failed: \d+ \(GET .*HTTP 503 Service Unavailable after 4 attempts\)\n$/,
      );
      const report = JSON.parse(sync.stdout);
      expect(report).toMatchObject({ succeeded: 1, failed: 1, skipped: 0 });
      expect(report.sources).toEqual([
        expect.objectContaining({
          sourceId: hn.id,
          status: "succeeded",
          pages: 2,
          inserted: 5,
          cursor: `{"since":${T0 + 500}}`,
        }),
        expect.objectContaining({ sourceId: down.id, status: "failed", inserted: 0, pages: 0 }),
      ]);
      expect(server.requests.filter((r) => r.query.get("query") === "down")).toHaveLength(4);

      const text = await runCli(["sources", "list", "--product", "atlas"], env);
      expect(text.stdout).toContain("succeeded: 5 new, 0 duplicates, 0 rejected from 2 pages; no more pages");
      expect(text.stdout).toMatch(/failed: GET .*HTTP 503/);

      const removed = await runCli(
        ["sources", "remove", String(down.id), "--product", "atlas", "--json"],
        env,
      );
      expect(JSON.parse(removed.stdout)).toEqual({ removed: down.id });
      // The cron line: every product, nothing new since the cursor, exit 0.
      server.requests.length = 0;
      const cron = await runCli(["sync", "--json"], env);
      expect(cron.stderr).toBe("");
      expect(cron.code).toBe(0);
      expect(JSON.parse(cron.stdout)).toMatchObject({
        succeeded: 1,
        failed: 0,
        sources: [{ sourceId: hn.id, inserted: 0, read: 0, stopped: "no new items" }],
      });
      expect(server.requests.map((r) => r.query.get("numericFilters"))).toEqual([`created_at_i>${T0 + 500}`]);

      const unknown = await runCli(["sync", "--source", "999", "--json"], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe("error: no source 999\n");
    },
  );
});
