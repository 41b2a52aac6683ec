import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { attemptLogin } from "../../lib/auth/login";
import { type CliResult, cliCommand, dbEnv, ROOT, runCli } from "../helpers/cli";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

/** Run the CLI with `input` on stdin (passwords are never arguments). */
function runWithStdin(
  args: string[],
  env: Record<string, string | undefined>,
  input: string,
): Promise<CliResult> {
  const { command, args: full } = cliCommand(args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, full, { cwd: ROOT, env: env as NodeJS.ProcessEnv });
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
    child.stdin.end(input);
  });
}

describe.each(ENGINES)("users via the CLI on $label", ({ engine, skip }) => {
  let env: Record<string, string | undefined>;
  let target: { dataDir?: string; url?: string };
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (skip) return;
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-cli-users-"));
      target = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      target = { url: pg.url };
      cleanup = pg.drop;
    }
    env = dbEnv(target);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it.skipIf(skip)(
    "adds accounts from a stdin password, grants, revokes, lists and changes passwords",
    async () => {
      expect((await runCli(["products", "add", "atlas", "--name", "Atlas"], env)).code).toBe(0);

      const short = await runWithStdin(
        ["users", "add", "a@example.com", "--role", "admin", "--password-stdin"],
        env,
        "123456789\n",
      );
      expect(short.code).toBe(1);
      expect(short.stderr).toBe("error: refused: the password must be at least 10 characters\n");

      const noStdin = await runCli(["users", "add", "a@example.com", "--role", "admin"], env);
      expect(noStdin.stderr).toMatch(/--password-stdin is required/);
      const badRole = await runWithStdin(
        ["users", "add", "a@example.com", "--role", "root", "--password-stdin"],
        env,
        "",
      );
      expect(badRole.stderr).toBe("error: --role must be one of admin, exec, lead_pm, member\n");

      const add = await runWithStdin(
        ["users", "add", "Ada@Example.com", "--role", "admin", "--name", "Ada", "--password-stdin", "--json"],
        env,
        "first-password-1\nignored second line\n",
      );
      expect(add.stderr).toBe("");
      expect(JSON.parse(add.stdout)).toMatchObject({ email: "ada@example.com", role: "admin", name: "Ada" });
      const dup = await runWithStdin(
        ["users", "add", "ada@example.com", "--role", "exec", "--password-stdin"],
        env,
        "0123456789\n",
      );
      expect(dup.stderr).toBe('error: user "ada@example.com" already exists\n');

      const pm = await runWithStdin(
        ["users", "add", "pm@example.com", "--role", "lead_pm", "--password-stdin"],
        env,
        "pm-password-1",
      );
      expect(pm.stdout).toBe("Added pm@example.com (lead_pm).\n");
      expect(
        (await runCli(["users", "grant", "pm@example.com", "--product", "atlas", "--role", "lead_pm"], env))
          .stdout,
      ).toBe("pm@example.com is lead_pm of atlas.\n");
      expect(
        (await runCli(["users", "grant", "pm@example.com", "--product", "nope", "--role", "member"], env))
          .stderr,
      ).toMatch(/no product "nope"/);
      expect(
        (await runCli(["users", "grant", "who@example.com", "--product", "atlas", "--role", "member"], env))
          .stderr,
      ).toMatch(/no user "who@example.com"/);

      const list = await runCli(["users", "list", "--json"], env);
      expect(JSON.parse(list.stdout)).toEqual([
        {
          id: expect.any(Number),
          email: "ada@example.com",
          name: "Ada",
          role: "admin",
          disabled: false,
          memberships: [],
        },
        {
          id: expect.any(Number),
          email: "pm@example.com",
          name: null,
          role: "lead_pm",
          disabled: false,
          memberships: [{ product: "atlas", role: "lead_pm" }],
        },
      ]);
      expect(list.stdout).not.toMatch(/scrypt|password/i);
      const text = await runCli(["users", "list"], env);
      expect(text.stdout.split("\n")[2]).toMatch(/^pm@example\.com\s+lead_pm\s+atlas \(lead_pm\)\s+active$/);

      expect(
        (await runCli(["users", "revoke", "pm@example.com", "--product", "atlas", "--json"], env)).code,
      ).toBe(0);
      expect((await runCli(["users", "revoke", "pm@example.com", "--product", "atlas"], env)).stderr).toBe(
        "error: pm@example.com has no access to atlas\n",
      );

      const passwd = await runWithStdin(
        ["users", "passwd", "ada@example.com", "--password-stdin"],
        env,
        "second-password-2\n",
      );
      expect(passwd.stdout).toBe("Password changed for ada@example.com; its sessions ended.\n");
      const handle = await openDatabase({ databaseUrl: target.url ?? "", dataDir: target.dataDir });
      try {
        const now = new Date();
        expect(
          (await attemptLogin(handle.db, { email: "ada@example.com", password: "first-password-1", now })).ok,
        ).toBe(false);
        expect(
          (await attemptLogin(handle.db, { email: "ada@example.com", password: "second-password-2", now }))
            .ok,
        ).toBe(true);
      } finally {
        await handle.close();
      }
    },
    600_000,
  );
});
