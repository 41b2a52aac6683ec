import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbEnv, runCli } from "../helpers/cli";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

const lines = [
  JSON.stringify({
    type: "track",
    messageId: "m-1",
    anonymousId: "a1",
    event: "Signed Up",
    timestamp: "2026-11-20T10:00:00Z",
  }),
  JSON.stringify({
    type: "page",
    messageId: "m-2",
    anonymousId: "a1",
    name: "Pricing",
    timestamp: "2026-11-20T10:01:00Z",
    context: { page: { url: "https://example.com/pricing", path: "/pricing" } },
  }),
  "{this is not json",
  JSON.stringify({ type: "track", messageId: "m-4", event: "No Ids", timestamp: "2026-11-20T10:02:00Z" }),
  JSON.stringify({
    type: "identify",
    messageId: "m-5",
    anonymousId: "a1",
    userId: "u1",
    timestamp: "2026-11-20T10:03:00Z",
    traits: { email: "u1@example.com" },
  }),
];

describe.each(ENGINES)("import via the CLI on $label", ({ engine, skip }) => {
  let env: Record<string, string | undefined>;
  let dir: string;
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (skip) return;
    dir = mkdtempSync(join(tmpdir(), "ns-import-"));
    if (engine === "pglite") env = dbEnv({ dataDir: join(dir, "data") });
    else {
      const pg = await createPostgresDatabase();
      env = dbEnv({ url: pg.url });
      cleanup = pg.drop;
    }
    writeFileSync(join(dir, "events.ndjson"), `${lines.join("\n")}\n`);
    writeFileSync(join(dir, "blob.bin"), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)));
    const add = await runCli(["products", "add", "app", "--name", "App"], env);
    expect(add.code, add.stderr).toBe(0);
  });
  afterAll(async () => {
    await cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    "imports a Segment NDJSON file with the format detected, keeping rejects with their lines",
    async () => {
      const first = await runCli(["import", join(dir, "events.ndjson"), "--product", "app", "--json"], env);
      expect(first.code, first.stderr).toBe(0);
      const result = JSON.parse(first.stdout) as Record<string, unknown>;
      expect(result).toMatchObject({ format: "segment", read: 5, inserted: 3, duplicates: 0, rejected: 2 });
      expect(typeof result.runId).toBe("number");

      const show = await runCli(["imports", "show", String(result.runId), "--json"], env);
      expect(show.code, show.stderr).toBe(0);
      const run = JSON.parse(show.stdout) as {
        status: string;
        rejects: { line: number; reason: string; raw: string }[];
      };
      expect(run.status).toBe("succeeded");
      expect(run.rejects.map((r) => r.line)).toEqual([3, 4]);
      expect(run.rejects[0]?.reason).toMatch(/JSON/);
      expect(run.rejects[0]?.raw).toBe("{this is not json");
      expect(run.rejects[1]?.reason).toMatch(/id/i);

      const again = await runCli(
        ["import", join(dir, "events.ndjson"), "--product", "app", "--format", "segment", "--json"],
        env,
      );
      expect(JSON.parse(again.stdout)).toMatchObject({ read: 5, inserted: 0, duplicates: 3, rejected: 2 });

      const text = await runCli(["imports", "list", "--product", "app"], env);
      expect(text.stdout).toMatch(/segment\s+events\.ndjson\s+succeeded/);
    },
  );

  it.skipIf(skip)("refuses unreadable input with one line naming the file, writing nothing", async () => {
    const missing = await runCli(["import", join(dir, "nope.ndjson"), "--product", "app"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`error: ${join(dir, "nope.ndjson")}: no such file`);

    const binary = await runCli(
      ["import", join(dir, "blob.bin"), "--product", "app", "--format", "segment"],
      env,
    );
    expect(binary.code).toBe(1);
    expect(binary.stderr.trim()).toBe(
      `error: ${join(dir, "blob.bin")}: the file is binary, not a text export`,
    );

    const unknown = await runCli(
      ["import", join(dir, "events.ndjson"), "--product", "app", "--format", "nope"],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/unknown format "nope"/);

    const noProduct = await runCli(["import", join(dir, "events.ndjson"), "--product", "ghost"], env);
    expect(noProduct.code).toBe(1);
    expect(noProduct.stderr.trim()).toMatch(/no product "ghost"/);
  });
});
