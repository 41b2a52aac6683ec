import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createUser } from "../../lib/auth/users";
import { type RunningApp, signIn, startApp } from "../helpers/app-server";
import { loadPortfolioFixture, PORTFOLIO_NOW } from "../helpers/fixtures";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

/** The text of the table row for one product, tags stripped. */
function rowText(html: string, slug: string): string {
  const match = html.match(new RegExp(`<tr[^>]*data-row="${slug}"[^>]*>([\\s\\S]*?)</tr>`));
  if (!match?.[1]) throw new Error(`no row for ${slug}`);
  return match[1]
    .replace(/<!--.*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe.each(ENGINES)("the running app on $label", ({ engine, skip }) => {
  let app: RunningApp;
  let cookie: string;
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (skip) return;
    let target: { dataDir?: string; url?: string };
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-http-"));
      target = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      target = { url: pg.url };
      cleanup = pg.drop;
    }
    const handle = await openDatabase({ databaseUrl: target.url ?? "", dataDir: target.dataDir });
    await migrateDatabase(handle.db, handle.engine);
    await loadPortfolioFixture(handle.db);
    await createUser(handle.db, { email: "exec@example.com", role: "exec", password: "portfolio-password" });
    await handle.close();
    app = await startApp(target, { NORTHSTAR_NOW: PORTFOLIO_NOW });
    cookie = await signIn(app.baseUrl, "exec@example.com", "portfolio-password");
  });
  afterAll(async () => {
    await app?.stop();
    await cleanup();
  });

  it.skipIf(skip)(
    "shows each product's weekly active users for the last full week and the change",
    async () => {
      const res = await fetch(`${app.baseUrl}/`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const html = await res.text();
      // Product and zone, active users with the week before, then the change.
      expect(rowText(html, "alpha")).toContain("Alpha UTC 3 from 2 (+50.0%) +50.0%");
      expect(rowText(html, "beta")).toContain("Beta Asia/Tokyo 2 from 1 (+100.0%) +100.0%");
      expect(html).toContain("Nov 16 – Nov 22, 2026 (2026-W47)");
    },
  );

  it.skipIf(skip)("serves a product page, and a 404 page for an unknown product", async () => {
    const ok = await fetch(`${app.baseUrl}/products/alpha`, { headers: { cookie } });
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain("Alpha");
    expect(html).toMatch(/data-testid="kpi-wau"[^>]*>3</);

    const missing = await fetch(`${app.baseUrl}/products/nope`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("There is no such page or product.");
  });
});
