import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

/** Run a CLI command, then leave a rejection of `reason` unhandled; the child's exit code and output. */
function runThenReject(reason: string) {
  const code = `
    import { runCli } from ${JSON.stringify(join(ROOT, "ingest/cli/program.ts"))};
    await runCli(["node", "northstar", "products", "--help"]);
    Promise.reject(${reason});
    await new Promise((r) => setTimeout(r, 200));
    console.log("still running");`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("the CLI's unhandled rejections", () => {
  it("outlives a lost database connection's stray rejection (postgres.js's unawaited type query)", () => {
    const r = runThenReject(
      `Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })`,
    );
    expect(r.stdout).toContain("still running");
    expect(r.status).toBe(0);
  });

  it("still ends on any other unhandled rejection, as Node does", () => {
    const r = runThenReject(`new Error("a real bug")`);
    expect(r.stdout).not.toContain("still running");
    expect(r.stderr).toContain("a real bug");
    expect(r.status).not.toBe(0);
  });
});
