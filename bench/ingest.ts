/**
 * Ingest benchmark on PostgreSQL (`npm run bench:ingest -- --rows 1000000 --seconds 30`):
 * (a) file import of generated Segment NDJSON through the CLI, against a plain
 *     COPY of the same rows into a bare table on the same server, with peak RSS;
 * (b) HTTP ingest on loopback from a second process, batches of 100, sustained,
 *     with p50/p99 latency and a count reconciliation (zero loss).
 * `--skip-http` runs (a) only.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { createApiKey } from "../lib/auth/api-keys";
import { createProduct } from "../lib/queries/products";
import { argValue, createBenchDatabase } from "./bench-db";

const ROOT = join(import.meta.dirname, "..");
const rows = Number(argValue("rows", "1000000"));
const seconds = Number(argValue("seconds", "30"));
const concurrency = Number(argValue("concurrency", "8"));
const log = (m: string) => process.stdout.write(`${m}\n`);

/**
 * Row `i` of the generated data: visits of 8 events 30 s apart (a visit
 * starts every 40 s, so visits overlap), by 50,000 visitors of whom a third
 * are signed in, as web analytics arrive; every fourth event a pageview.
 */
function visitOf(i: number): { anon: string; user: string | undefined; ms: number } {
  const visit = Math.floor(i / 8);
  return {
    anon: `anon-${visit % 50_000}`,
    user: visit % 3 === 0 ? `user-${visit % 20_000}` : undefined,
    ms: Date.UTC(2026, 9, 1) + visit * 40_000 + (i % 8) * 30_000,
  };
}

function* segmentLines(n: number): Generator<string> {
  for (let i = 0; i < n; i++) {
    const v = visitOf(i);
    yield `${JSON.stringify({
      type: i % 4 === 0 ? "page" : "track",
      messageId: `bench-${i}`,
      anonymousId: v.anon,
      userId: v.user,
      event: i % 4 === 0 ? undefined : ["signed_up", "report_created", "export_csv", "invite_sent"][i % 4],
      name: i % 4 === 0 ? "Pricing" : undefined,
      timestamp: new Date(v.ms).toISOString(),
      properties: { plan: i % 5 === 0 ? "pro" : "free", value: i % 100 },
      context: {
        page: {
          url: "https://example.com/pricing?utm_source=news",
          path: "/pricing",
          referrer: "https://google.com/",
        },
        campaign: { source: "news", medium: "email" },
        userAgent:
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
      },
    })}\n`;
  }
}

/** The same rows as COPY would take them: the normalized columns, as CSV. */
function* copyLines(n: number): Generator<string> {
  for (let i = 0; i < n; i++) {
    const v = visitOf(i);
    const ts = new Date(v.ms).toISOString();
    const event =
      i % 4 === 0 ? "pageview" : ["signed_up", "report_created", "export_csv", "invite_sent"][i % 4];
    const props = JSON.stringify({ plan: i % 5 === 0 ? "pro" : "free", value: i % 100 }).replaceAll(
      '"',
      '""',
    );
    yield `1,bench-${i},${ts},${event},${i % 4 === 0 ? "page" : "track"},${v.user ?? ""},${v.anon},https://example.com/pricing,/pricing,news,email,"${props}",segment\n`;
  }
}

async function timeCopy(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`create table bare_events (product_id int, message_id text, timestamp timestamptz, event text, type text,
    user_id text, anonymous_id text, url text, path text, utm_source text, utm_medium text, properties jsonb, source text)`;
  const started = performance.now();
  const writable = await sql`copy bare_events from stdin (format csv)`.writable();
  await pipeline(Readable.from(copyLines(rows)), writable);
  const ms = performance.now() - started;
  await sql`drop table bare_events`;
  await sql.end();
  return ms;
}

/** Resident memory of a process and all its descendants (the CLI runs `import` in a child), in KB. */
function treeRssKb(pid: number): number {
  try {
    const rss = Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return rss + (children ? children.split(/\s+/).reduce((n, c) => n + treeRssKb(Number(c)), 0) : 0);
  } catch {
    return 0; // process gone
  }
}

/** Run a command, sampling the resident memory of it and its children; resolves with stdout and the peak RSS in MB. */
function runMeasured(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string; peakMb: number; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    let peak = 0;
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setInterval(() => {
      if (child.pid !== undefined) peak = Math.max(peak, treeRssKb(child.pid));
    }, 200);
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, peakMb: Math.round(peak / 1024), ms: performance.now() - started });
    });
  });
}

async function waitForApp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error("app did not start");
}

async function main(): Promise<void> {
  const db = await createBenchDatabase("ns_bench_ingest");
  const dir = mkdtempSync(join(tmpdir(), "ns-bench-"));
  try {
    const handle = await openPostgres(db.url, 2);
    await migrateDatabase(handle.db, "postgres");
    const product = await createProduct(handle.db, {
      slug: "bench",
      name: "Bench",
      timezone: "UTC",
      weekStart: "monday",
    });
    const key = (await createApiKey(handle.db, { productId: product.id, kind: "write" })).key;

    const file = join(dir, "events.ndjson");
    await pipeline(Readable.from(segmentLines(rows)), createWriteStream(file));
    const mb = statSync(file).size / 1024 / 1024;
    log(`(a) file import: ${rows.toLocaleString("en-US")} Segment events, ${mb.toFixed(0)} MB NDJSON`);

    const copyMs = await timeCopy(db.url);
    const copyRate = rows / (copyMs / 1000);
    log(
      `    plain COPY into a bare table: ${(copyMs / 1000).toFixed(1)} s, ${Math.round(copyRate).toLocaleString("en-US")} rows/s`,
    );

    const env = { ...process.env, DATABASE_URL: db.url, NODE_ENV: "production" } as NodeJS.ProcessEnv;
    const imp = await runMeasured(
      [
        "--import",
        "tsx",
        "ingest/cli/main.ts",
        "import",
        file,
        "--product",
        "bench",
        "--format",
        "segment",
        "--json",
      ],
      env,
    );
    if (imp.code !== 0) throw new Error(`import failed: ${imp.stderr}`);
    const result = JSON.parse(imp.stdout) as { inserted: number; rejected: number };
    const rate = rows / (imp.ms / 1000);
    log(
      `    northstar import: ${(imp.ms / 1000).toFixed(1)} s, ${Math.round(rate).toLocaleString("en-US")} rows/s, inserted ${result.inserted}, rejected ${result.rejected}, peak RSS ${imp.peakMb} MB (process and child)`,
    );
    log(`    ratio to COPY: ${((rate / copyRate) * 100).toFixed(0)}% (target >= 50%)`);

    if (process.argv.includes("--skip-http")) {
      await handle.close();
      return;
    }
    const port = 3900 + Math.floor(Math.random() * 90);
    const app = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "ingest/cli/main.ts",
        "start",
        "--no-demo",
        "--port",
        String(port),
        "--hostname",
        "127.0.0.1",
      ],
      {
        cwd: ROOT,
        env: { ...env, NORTHSTAR_INGEST_RATE_PER_SECOND: "100000", NORTHSTAR_INGEST_BURST: "100000" },
        stdio: "ignore",
      },
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForApp(base);
      const before = await handle.db.$count((await import("../db/schema/events")).events);
      log(`(b) HTTP ingest: batches of 100, ${concurrency} in flight, ${seconds} s, from a second process`);
      const load = await runMeasured(
        [
          "--import",
          "tsx",
          "bench/http-load.ts",
          "--url",
          base,
          "--key",
          key,
          "--seconds",
          String(seconds),
          "--concurrency",
          String(concurrency),
        ],
        env,
      );
      const figures = JSON.parse(load.stdout) as {
        accepted: number;
        failures: number;
        events_per_second: number;
        p50_ms: number;
        p99_ms: number;
      };
      const after = await handle.db.$count((await import("../db/schema/events")).events);
      log(
        `    ${figures.events_per_second.toLocaleString("en-US")} events/s sustained (target >= 5,000), p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms, failed requests ${figures.failures}`,
      );
      log(
        `    reconciliation: acknowledged ${figures.accepted}, stored ${after - before} -> ${figures.accepted === after - before ? "no loss" : "MISMATCH"}`,
      );
    } finally {
      app.kill("SIGTERM");
      await new Promise((r) => app.once("exit", r));
    }
    await handle.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

await main();
