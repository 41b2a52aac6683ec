import { type ChildProcess, spawn } from "node:child_process";
import type { Command } from "commander";
import { openDatabase } from "../../../db/client";
import { vacuumAnalyzeDatabase } from "../../../db/maintenance";
import { migrateDatabase } from "../../../db/migrate";
import { PgliteServer } from "../../../db/pglite-server";
import { describeDemoAccounts, isDemoInUse } from "../../../lib/auth/demo-accounts";
import { now, startOfUtcDay } from "../../../lib/clock";
import { listProducts } from "../../../lib/queries/products";
import { ensureBuilt, nextBin } from "../build";
import { CliError } from "../output";

interface StartOptions {
  port: string;
  hostname?: string;
  demo: boolean;
  dev?: boolean;
  dbOnly?: boolean;
}

const log = (m: string) => process.stderr.write(`[northstar] ${m}\n`);

/**
 * Own the database, prepare it, and run Next as a child process. With the
 * embedded database this process keeps PGlite and serves it on a loopback port
 * to the app and to CLI commands run meanwhile, so only one process ever opens
 * the data directory.
 */
async function start(opts: StartOptions): Promise<void> {
  const root = process.cwd();
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CliError("--port must be from 1 to 65535");
  if (!opts.dev && !opts.dbOnly) ensureBuilt(root, log);

  const handle = await openDatabase({ role: "server", waitMs: 10_000 });
  if (handle.engine === "pglite-socket") {
    await handle.close();
    throw new CliError("Northstar is already running on this data directory; stop it first.");
  }
  let socketServer: PgliteServer | null = null;
  let child: ChildProcess | null = null;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) child.kill("SIGTERM");
    await socketServer?.close().catch(() => {});
    await handle.close().catch(() => {});
    process.exit(code);
  };

  try {
    log(`Database: ${handle.description}`);
    await migrateDatabase(handle.db, handle.engine);
    if (opts.demo && (await listProducts(handle.db)).length === 0) {
      log("Empty database: loading demo data for three products (about a minute)...");
      const { loadDemo } = await import("../../demo");
      const result = await loadDemo(handle.db, { end: startOfUtcDay(now()), onProgress: log });
      const total = result.products.reduce((n, p) => n + p.events.inserted, 0);
      log(`Demo data loaded: ${total.toLocaleString("en-US")} events.`);
    }
    // PGlite has no autovacuum: clear dead rows and refresh the planner's statistics once per start.
    if (handle.pglite) await vacuumAnalyzeDatabase(handle.db);
    if (await isDemoInUse(handle.db)) for (const line of describeDemoAccounts()) log(line);

    let databaseUrl = process.env.DATABASE_URL ?? "";
    if (handle.pglite) {
      socketServer = new PgliteServer(handle.pglite);
      const port = await socketServer.listen(0);
      handle.owner?.advertise(port);
      databaseUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    }
    process.on("SIGINT", () => void shutdown(0));
    process.on("SIGTERM", () => void shutdown(0));
    if (opts.dbOnly) {
      if (!handle.pglite) throw new CliError("--db-only serves the embedded database; unset DATABASE_URL");
      log(`Database served at ${databaseUrl} (Ctrl-C to stop)`);
      return;
    }

    const args = [nextBin(root), opts.dev ? "dev" : "start", "--port", String(port)];
    if (opts.hostname) args.push("--hostname", opts.hostname);
    child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NORTHSTAR_ENGINE: handle.engine,
        NEXT_TELEMETRY_DISABLED: "1",
      },
    });
    log(`Open http://localhost:${port}`);
    child.on("exit", (code) => void shutdown(code ?? 1));
  } catch (err) {
    await shutdown(1).catch(() => {});
    throw err;
  }
}

export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description("build if needed, migrate, load demo data into an empty database, and serve the app")
    .option("--port <port>", "HTTP port", process.env.PORT ?? "3000")
    .option("--hostname <host>", "interface to listen on (default: all)")
    .option("--no-demo", "do not load demo data into an empty database")
    .option("--dev", "run the Next.js development server")
    .option("--db-only", "own and serve the embedded database without the web app (for next dev or tools)")
    .action((opts: StartOptions) => start(opts));
}
