import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliCommand, dbEnv, ROOT, runCli } from "../helpers/cli";

/** Start `start --db-only`: a process that owns the data directory and serves it, as `npm start` does. */
function startOwner(env: Record<string, string | undefined>): Promise<ChildProcess> {
  const { command, args } = cliCommand(["start", "--db-only", "--no-demo"]);
  const child = spawn(command, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv });
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`owner did not start:\n${err}`)), 60_000);
    child.stderr?.on("data", (d) => {
      err += d;
      if (err.includes("Database served at")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`owner exited with ${code}:\n${err}`)));
  });
}

const slugsOf = (stdout: string) => (JSON.parse(stdout) as { slug: string }[]).map((p) => p.slug).sort();

describe("the embedded database has exactly one owner process", () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ns-owner-"));
    env = dbEnv({ dataDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("two CLI runs at once both land (the second waits for the first)", async () => {
    const [a, b] = await Promise.all([
      runCli(["products", "add", "one", "--name", "One"], env),
      runCli(["products", "add", "two", "--name", "Two"], env),
    ]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, "", ""]);
    const list = await runCli(["products", "list", "--json"], env);
    expect(slugsOf(list.stdout)).toEqual(["one", "two"]);
  });

  it("CLI runs while the app owns the database go through it, and survive the owner being killed", async () => {
    const owner = await startOwner(env);
    try {
      const [a, b] = await Promise.all([
        runCli(["products", "add", "three", "--name", "Three"], env),
        runCli(["products", "add", "four", "--name", "Four"], env),
      ]);
      expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, "", ""]);
      const during = await runCli(["products", "list", "--json"], env);
      expect(slugsOf(during.stdout)).toEqual(["four", "one", "three", "two"]);
    } finally {
      // A crash, not a clean stop: the ownership must not outlive the process.
      owner.kill("SIGKILL");
      await new Promise((r) => owner.once("exit", r));
    }
    const after = await runCli(["products", "list", "--json"], env);
    expect(after.stderr).toBe("");
    expect(slugsOf(after.stdout)).toEqual(["four", "one", "three", "two"]);
  });

  it("a second app on the same directory is refused", async () => {
    const owner = await startOwner(env);
    try {
      const second = await runCli(["start", "--db-only", "--no-demo"], env);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/already running on this data directory/);
    } finally {
      owner.kill("SIGTERM");
      await new Promise((r) => owner.once("exit", r));
    }
  });
});
