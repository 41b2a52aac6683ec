import { spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
const MAIN = join(ROOT, "ingest", "cli", "main.ts");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI run against either an embedded data directory or a PostgreSQL URL. */
export function dbEnv(target: { dataDir?: string; url?: string }): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL;
  // vitest sets NODE_ENV=test; the app and CLI run as they would for a user.
  delete env.NODE_ENV;
  if (target.url) env.DATABASE_URL = target.url;
  if (target.dataDir) env.NORTHSTAR_DATA_DIR = target.dataDir;
  return env;
}

/** Run `npm run northstar -- <args>` as one real process, as the npm script does (without npm's banner). */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
      cwd: ROOT,
      env: env as NodeJS.ProcessEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function cliCommand(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ["--import", "tsx", MAIN, ...args] };
}
