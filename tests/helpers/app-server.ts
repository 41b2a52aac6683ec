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

/** The hidden server-action field of the sign-in form (what a browser without JavaScript posts). */
export async function loginActionField(baseUrl: string): Promise<string> {
  const html = await (await fetch(`${baseUrl}/login`)).text();
  const field = html.match(/name="(\$ACTION_ID_[0-9a-f]+)"/)?.[1];
  if (!field) throw new Error("no sign-in form on /login");
  return field;
}

/** Post the sign-in form; `headers` lets a test forge Origin and friends. Redirects are not followed. */
export async function postLogin(
  baseUrl: string,
  fields: { email: string; password: string; next?: string },
  headers: Record<string, string> = { origin: baseUrl },
): Promise<Response> {
  const form = new FormData();
  form.set(await loginActionField(baseUrl), "");
  form.set("email", fields.email);
  form.set("password", fields.password);
  form.set("next", fields.next ?? "/");
  return fetch(`${baseUrl}/login`, { method: "POST", body: form, headers, redirect: "manual" });
}

/** Sign in and return the `Cookie` header value that carries the session. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await postLogin(baseUrl, { email, password });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("ns_session="));
  if (!cookie) throw new Error(`sign-in as ${email} failed (${res.status} ${res.headers.get("location")})`);
  return cookie.split(";")[0] as string;
}
