import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { cliCommand, dbEnv, ROOT } from "./cli";

export interface RunningApp {
  baseUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Start the built app the way `npm start` does (launcher + next start) on a
 * free port, against an embedded data directory or a PostgreSQL URL, and wait
 * until it answers.
 */
export async function startApp(
  target: { dataDir?: string; url?: string },
  extraEnv: Record<string, string> = {},
): Promise<RunningApp> {
  const port = await freePort();
  const { command, args } = cliCommand([
    "start",
    "--no-demo",
    "--port",
    String(port),
    "--hostname",
    "127.0.0.1",
  ]);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...dbEnv(target), ...extraEnv } as NodeJS.ProcessEnv,
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`app did not answer within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { baseUrl, output: () => output, stop: () => stopChild(child) };
}
