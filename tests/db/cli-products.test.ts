import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbEnv, runCli } from "../helpers/cli";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

describe.each(ENGINES)("products via the CLI on $label", ({ engine, skip }) => {
  let env: Record<string, string | undefined>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (skip) return;
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-cli-"));
      env = dbEnv({ dataDir: dir });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      env = dbEnv({ url: pg.url });
      cleanup = pg.drop;
    }
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it.skipIf(skip)("migrates, adds and lists products, as JSON and as text", async () => {
    const migrate = await runCli(["db", "migrate", "--json"], env);
    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout)).toMatchObject({
      applied: expect.any(Number),
      total: expect.any(Number),
    });

    const add = await runCli(
      ["products", "add", "atlas", "--name", "Atlas", "--timezone", "Europe/Berlin", "--json"],
      env,
    );
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({
      slug: "atlas",
      name: "Atlas",
      timezone: "Europe/Berlin",
      weekStart: "monday",
    });

    const add2 = await runCli(["products", "add", "pulse", "--name", "Pulse", "--week-start", "sunday"], env);
    expect(add2.code).toBe(0);
    expect(add2.stdout).toMatch(/Added product pulse/);

    const list = await runCli(["products", "list", "--json"], env);
    expect(list.code).toBe(0);
    const products = JSON.parse(list.stdout) as { slug: string; weekStart: string }[];
    expect(products.map((p) => [p.slug, p.weekStart])).toEqual([
      ["atlas", "monday"],
      ["pulse", "sunday"],
    ]);

    const text = await runCli(["products", "list"], env);
    expect(text.stdout).toMatch(/atlas\s+Atlas\s+Europe\/Berlin\s+monday/);
  });

  it.skipIf(skip)("refuses bad input with one line and a non-zero exit", async () => {
    const dup = await runCli(["products", "add", "atlas", "--name", "Again"], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr.trim()).toBe('error: product "atlas" already exists');

    const tz = await runCli(["products", "add", "x", "--name", "X", "--timezone", "Mars/Base"], env);
    expect(tz.code).toBe(1);
    expect(tz.stderr.trim()).toBe('error: timezone: unknown time zone "Mars/Base"');

    const slug = await runCli(["products", "add", "Bad Slug", "--name", "X"], env);
    expect(slug.code).toBe(1);
    expect(slug.stderr.trim().split("\n")).toHaveLength(1);
    expect(slug.stderr).toMatch(/slug must be lowercase/);

    const missing = await runCli(["products", "add", "y"], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toMatch(/required option '--name <name>' not specified/);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);

    const unknown = await runCli(["products", "frobnicate"], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
  });

  it.skipIf(skip)("has --help on every command", async () => {
    for (const args of [
      [],
      ["products"],
      ["products", "add"],
      ["products", "list"],
      ["db", "migrate"],
      ["demo"],
      ["start"],
    ]) {
      const help = await runCli([...args, "--help"], env);
      expect(help.code, args.join(" ")).toBe(0);
      expect(help.stdout).toMatch(/Usage: northstar/);
    }
  });
});

describe("an unreachable PostgreSQL", () => {
  it("gets a one-line error naming host and port", async () => {
    const env = dbEnv({ url: "postgres://postgres@127.0.0.1:1/nothing" });
    const r = await runCli(["products", "list"], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^error: Cannot reach PostgreSQL at 127\.0\.0\.1:1\/nothing: .*ECONNREFUSED/,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
