/**
 * Page render timings (`npm run bench:pages -- [--runs 5] [--product atlas]`):
 * starts the built app the way `npm start` does on an embedded data directory
 * with demo data (NORTHSTAR_DATA_DIR, default a fresh one with 60 days) or on
 * DATABASE_URL, signs in as an admin and times every dashboard page of one
 * product (server render, full HTML response). Prints p50/p95 per page against
 * the target: 300 ms on PGlite (demo data), 500 ms on PostgreSQL (the 10M-event
 * benchmark size). `--product beta` times that product's pages; `--pages
 * /,/products/atlas` times only those pages. When the database has no demo
 * admin (e.g. a `bench:queries` database), a bench admin is created (or its
 * password reset) through the CLI (`users add` / `users passwd`) with a random
 * password. The app is the build in NORTHSTAR_DIST_DIR (default .next),
 * rebuilt first when sources are newer.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp } from "../tests/helpers/app-server";
import { cliCommand, dbEnv, ROOT, runCli } from "../tests/helpers/cli";
import { argValue, percentile } from "./bench-db";

const runs = Number(argValue("runs", "5"));
const NOW = process.env.NORTHSTAR_NOW ?? "2026-11-25T12:00:00Z";
const PRODUCT = argValue("product", "atlas");
const ALL_PAGES = [
  "/",
  `/products/${PRODUCT}`,
  `/products/${PRODUCT}/funnels`,
  `/products/${PRODUCT}/features`,
  `/products/${PRODUCT}/retention`,
  `/products/${PRODUCT}/feedback`,
  `/products/${PRODUCT}/mentions`,
  "/imports",
  "/settings",
];
/** `--save-html <dir>`: keep each page's last response there (to compare renders before and after a change). */
const SAVE_HTML = argValue("save-html", "");
const PAGES = argValue("pages", "") ? argValue("pages", "").split(",") : ALL_PAGES;
const DEMO_ADMIN = { email: "admin@demo.northstar", password: "northstar-demo" };
const BENCH_ADMIN_EMAIL = "bench-pages@northstar.local";

/** `npm run northstar -- <args>` with `input` on stdin (the CLI reads passwords from stdin only). */
function runCliWithInput(
  args: string[],
  env: Record<string, string | undefined>,
  input: string,
): Promise<{ code: number | null; stderr: string }> {
  const { command, args: full } = cliCommand(args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, full, { cwd: ROOT, env: env as NodeJS.ProcessEnv });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
    child.stdin.end(`${input}\n`);
  });
}

/** The demo admin when the database has one, else a bench admin created (or reset) through the CLI. */
async function adminCredentials(target: {
  url?: string;
  dataDir?: string;
}): Promise<{ email: string; password: string }> {
  const env = dbEnv(target);
  const list = await runCli(["users", "list", "--json"], env);
  if (list.code !== 0) throw new Error(list.stderr);
  if (list.stdout.includes(`"${DEMO_ADMIN.email}"`)) return DEMO_ADMIN;
  const password = randomBytes(18).toString("base64url");
  const exists = list.stdout.includes(`"${BENCH_ADMIN_EMAIL}"`);
  const res = exists
    ? await runCliWithInput(["users", "passwd", BENCH_ADMIN_EMAIL, "--password-stdin"], env, password)
    : await runCliWithInput(
        ["users", "add", BENCH_ADMIN_EMAIL, "--role", "admin", "--name", "Bench", "--password-stdin"],
        env,
        password,
      );
  if (res.code !== 0) throw new Error(res.stderr);
  return { email: BENCH_ADMIN_EMAIL, password };
}

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
    const admin = await adminCredentials(target);
    const targetMs = url ? 500 : 300;
    const app = await startApp(target, { NORTHSTAR_NOW: NOW });
    try {
      const { signIn } = await import("../tests/helpers/app-server");
      const cookie = await signIn(app.baseUrl, admin.email, admin.password);
      process.stdout.write(
        `${url ? "PostgreSQL" : "PGlite (served by the app)"}, product ${PRODUCT}, ${runs} runs per page after one warm-up, target ${targetMs} ms\n`,
      );
      for (const page of PAGES) {
        // The warm-up's body is read to its end: a render still streaming would overlap the first timed run.
        await (await fetch(`${app.baseUrl}${page}`, { headers: { cookie } })).text();
        const times: number[] = [];
        let status = 0;
        for (let i = 0; i < runs; i++) {
          const started = performance.now();
          const res = await fetch(`${app.baseUrl}${page}`, { headers: { cookie } });
          const html = await res.text();
          status = res.status;
          if (SAVE_HTML && i === runs - 1) {
            mkdirSync(SAVE_HTML, { recursive: true });
            writeFileSync(join(SAVE_HTML, `${page.replaceAll("/", "_") || "_"}.html`), html);
          }
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        const p50 = Math.round(percentile(times, 50));
        const p95 = Math.round(percentile(times, 95));
        process.stdout.write(
          `${page.padEnd(28)} ${String(status)}  p50 ${String(p50).padStart(5)} ms  p95 ${String(p95).padStart(5)} ms  ${p50 <= targetMs ? "ok" : `over ${targetMs} ms`}\n`,
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
