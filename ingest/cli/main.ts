/**
 * The `northstar` command. Kept tiny: `import` runs again in a child process
 * with a small heap limit before any module of the CLI is loaded.
 */
import { spawn } from "node:child_process";

/**
 * Old-space limit for `import`. It streams, so its live heap is a few MB plus
 * at most one 32 MB JSON document; left to its defaults V8 lets garbage grow
 * the process to about 300 MB before it collects. Other commands (metrics on
 * large data, start) keep V8's default limit.
 */
const IMPORT_HEAP_MB = 192;

/**
 * Run `import` again with the heap limit (V8 takes it only at start),
 * forwarding signals; resolves with its exit code, or null to run here.
 */
function reexecWithHeapLimit(): Promise<number | null> {
  if (process.argv[2] !== "import") return Promise.resolve(null);
  if (process.execArgv.some((a) => a.startsWith("--max-old-space-size"))) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, `--max-old-space-size=${IMPORT_HEAP_MB}`, ...process.argv.slice(1)],
      { stdio: "inherit" },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.once("error", () => resolve(null)); // no child could be started: import in this process
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1)));
  });
}

const code = await reexecWithHeapLimit();
if (code !== null) process.exitCode = code;
else await (await import("./program")).runCli(process.argv);
