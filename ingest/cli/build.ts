import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCE_DIRS = ["app", "lib", "db", "ingest", "public"];
const SOURCE_FILES = ["next.config.js", "package.json", "tsconfig.json", "package-lock.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when there is no production build, or a source file changed after it was made. */
export function buildIsStale(root: string): boolean {
  const buildId = join(root, process.env.NORTHSTAR_DIST_DIR || ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = Math.max(
    ...SOURCE_DIRS.map((d) => newestMtime(join(root, d))),
    ...SOURCE_FILES.map((f) => newestMtime(join(root, f))),
  );
  return sources > built;
}

export function nextBin(root: string): string {
  return join(root, "node_modules", "next", "dist", "bin", "next");
}

/** Run `next build` when the build is missing or stale. Returns whether it built. */
export function ensureBuilt(root: string, log: (m: string) => void): boolean {
  if (!buildIsStale(root)) return false;
  log("Building the app (first start, or the sources changed)...");
  const result = spawnSync(process.execPath, [nextBin(root), "build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed (see the output above)");
  return true;
}
