import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { queryRows } from "../../db/rows";
import { createApiKey } from "../../lib/auth/api-keys";
import { createProduct } from "../../lib/queries/products";
import { freePort, type RunningApp, startApp } from "../helpers/app-server";
import { dbEnv, runCli } from "../helpers/cli";
import { createPostgresDatabase, POSTGRES_URL } from "../helpers/test-db";

/** A loopback TCP proxy in front of PostgreSQL that the test can cut and restore: an outage without stopping the server. */
class CuttableProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly upstreamPort: number,
  ) {}
  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.upstreamPort, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server?.listen(this.port, "127.0.0.1", r));
  }
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }
}

const upstream = POSTGRES_URL ? new URL(POSTGRES_URL) : null;

describe.skipIf(!POSTGRES_URL)(
  POSTGRES_URL ? "PostgreSQL going away" : "PostgreSQL going away (skipped: set TEST_DATABASE_URL to run)",
  () => {
    let proxy: CuttableProxy;
    let app: RunningApp;
    let drop: () => Promise<void>;
    let directUrl: string;
    let proxyUrl: string;
    let key: string;
    let dir: string;

    const count = async (where = sql`true`) => {
      const h = await openPostgres(directUrl, 1);
      const [row] = await queryRows<{ n: number }>(
        h.db,
        sql`select count(*)::int as n from events where ${where}`,
      );
      await h.close();
      return row?.n ?? 0;
    };
    const send = (ids: string[]) =>
      fetch(`${app.baseUrl}/api/v1/batch`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({
          batch: ids.map((id) => ({
            type: "track",
            messageId: id,
            anonymousId: "a",
            event: "e",
            timestamp: "2026-11-20T10:00:00Z",
          })),
        }),
      });

    beforeAll(async () => {
      const pg = await createPostgresDatabase();
      drop = pg.drop;
      directUrl = pg.url;
      const h = await openPostgres(directUrl, 1);
      await migrateDatabase(h.db, "postgres");
      const product = await createProduct(h.db, {
        slug: "app",
        name: "App",
        timezone: "UTC",
        weekStart: "monday",
      });
      key = (await createApiKey(h.db, { productId: product.id, kind: "write" })).key;
      await h.close();
      proxy = new CuttableProxy(await freePort(), Number(upstream?.port || 5432));
      await proxy.up();
      const u = new URL(directUrl);
      u.port = String(proxy.port);
      u.hostname = "127.0.0.1";
      proxyUrl = u.toString();
      app = await startApp({ url: proxyUrl });
      dir = mkdtempSync(join(tmpdir(), "ns-outage-"));
    });
    afterAll(async () => {
      await app?.stop();
      await proxy?.down();
      await drop?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("answers 503 with Retry-After while the database is away, and loses nothing acknowledged", async () => {
      expect((await send(["o-1", "o-2"])).status).toBe(200);
      await proxy.down();
      const during = await send(["o-3", "o-4"]);
      expect(during.status).toBe(503);
      expect(during.headers.get("retry-after")).toBe("5");
      expect(await during.text()).not.toMatch(/ECONNREFUSED|at .*\.ts/);
      await proxy.up();
      // The sender retries what was not acknowledged, plus one it already sent.
      let retry = await send(["o-2", "o-3", "o-4"]);
      for (let i = 0; i < 20 && retry.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 500));
        retry = await send(["o-2", "o-3", "o-4"]);
      }
      expect(await retry.json()).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
      expect(await count(sql`message_id like 'o-%'`)).toBe(4);
    });

    it("marks an import failed with its counts when the database goes away, and a rerun completes it", async () => {
      const file = join(dir, "events.ndjson");
      const lines = Array.from({ length: 200_000 }, (_, i) =>
        JSON.stringify({
          type: "track",
          messageId: `imp-${i}`,
          anonymousId: `a${i % 100}`,
          event: "e",
          timestamp: "2026-11-20T10:00:00Z",
        }),
      );
      writeFileSync(file, `${lines.join("\n")}\n`);
      const env = dbEnv({ url: proxyUrl });
      const running = runCli(["import", file, "--product", "app", "--format", "segment", "--json"], env);
      // Cut the database once the import has committed some batches.
      for (let i = 0; i < 200 && (await count(sql`message_id like 'imp-%'`)) === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await proxy.down();
      await new Promise((r) => setTimeout(r, 1500));
      await proxy.up();
      const failed = await running;
      expect(failed.code).toBe(1);
      expect(failed.stderr.trim()).toMatch(/^error: the database became unavailable/);
      expect(failed.stderr).not.toMatch(/insert into|params:/);

      const h = await openPostgres(directUrl, 1);
      const [run] = await queryRows<{ status: string; inserted: number; error: string }>(
        h.db,
        sql`select status, inserted, error from import_runs where file_name = 'events.ndjson' order by id limit 1`,
      );
      await h.close();
      expect(run?.status).toBe("failed");
      expect(run?.error).toMatch(/^the database became unavailable/);
      expect(run?.error?.length).toBeLessThan(300);
      const committed = await count(sql`message_id like 'imp-%'`);
      expect(run?.inserted).toBe(committed);
      expect(committed).toBeLessThan(200_000);

      const rerun = await runCli(
        ["import", file, "--product", "app", "--format", "segment", "--json"],
        dbEnv({ url: directUrl }),
      );
      expect(rerun.code, rerun.stderr).toBe(0);
      const result = JSON.parse(rerun.stdout) as { inserted: number; duplicates: number };
      expect(result.inserted + committed).toBe(200_000);
      expect(result.duplicates).toBe(committed);
      expect(await count(sql`message_id like 'imp-%'`)).toBe(200_000);
    });
  },
);
