/**
 * Page render timings (`npm run bench:pages -- [--runs 5]`): starts the built app
 * the way `npm start` does on an embedded data directory with demo data
 * (NORTHSTAR_DATA_DIR, default a fresh one with 60 days) or on DATABASE_URL,
 * signs in as the demo admin and times every dashboard page (server render,
 * full HTML response). Prints p50/p95 per page against the 300 ms target.
 * `--pages /,/products/atlas` times only those pages. The app is the build in
 * NORTHSTAR_DIST_DIR (default .next), rebuilt first when sources are newer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp } from "../tests/helpers/app-server";
import { dbEnv, runCli } from "../tests/helpers/cli";
import { argValue, percentile } from "./bench-db";

const runs = Number(argValue("runs", "5"));
const NOW = process.env.NORTHSTAR_NOW ?? "2026-11-25T12:00:00Z";
const ALL_PAGES = [
  "/",
  "/products/atlas",
  "/products/atlas/funnels",
  "/products/atlas/features",
  "/products/atlas/retention",
  "/products/atlas/feedback",
  "/products/atlas/mentions",
  "/imports",
  "/settings",
];
const PAGES = argValue("pages", "") ? argValue("pages", "").split(",") : ALL_PAGES;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const fresh = !url && !process.env.NORTHSTAR_DATA_DIR;
  const dataDir = url
    ? undefined
    : (process.env.NORTHSTAR_DATA_DIR ?? mkdtempSync(join(tmpdir(), "ns-bench-pages-")));
  const target = url ? { url } : { dataDir };
  try {
    if (fresh) {
      process.stdout.write("Loading 60 days of demo data...\n");
      const demo = await runCli(["demo", "--days", "60"], { ...dbEnv(target), NORTHSTAR_NOW: NOW });
      if (demo.code !== 0) throw new Error(demo.stderr);
    }
    const app = await startApp(target, { NORTHSTAR_NOW: NOW });
    try {
      const { signIn } = await import("../tests/helpers/app-server");
      const cookie = await signIn(app.baseUrl, "admin@demo.northstar", "northstar-demo");
      process.stdout.write(
        `${url ? "PostgreSQL" : "PGlite (served by the app)"}, ${runs} runs per page after one warm-up\n`,
      );
      for (const page of PAGES) {
        await fetch(`${app.baseUrl}${page}`, { headers: { cookie } });
        const times: number[] = [];
        let status = 0;
        for (let i = 0; i < runs; i++) {
          const started = performance.now();
          const res = await fetch(`${app.baseUrl}${page}`, { headers: { cookie } });
          await res.text();
          status = res.status;
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        const p50 = Math.round(percentile(times, 50));
        const p95 = Math.round(percentile(times, 95));
        process.stdout.write(
          `${page.padEnd(28)} ${String(status)}  p50 ${String(p50).padStart(5)} ms  p95 ${String(p95).padStart(5)} ms  ${p50 <= 300 ? "ok" : "over 300 ms"}\n`,
        );
      }
    } finally {
      await app.stop();
    }
  } finally {
    if (fresh && dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
