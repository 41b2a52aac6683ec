import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { DEMO_PASSWORD } from "../../lib/auth/demo-accounts";
import { formatCount } from "../../lib/metrics/format";
import { getPortfolioSummary } from "../../lib/queries/portfolio";
import { type RunningApp, startApp } from "../helpers/app-server";
import { HAS_CHROMIUM, launchBrowser, NO_CHROMIUM_MESSAGE } from "../helpers/browser";
import { dbEnv, runCli } from "../helpers/cli";

const NOW = "2026-11-25T12:00:00Z";

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? "portfolio in a real browser" : NO_CHROMIUM_MESSAGE, () => {
  let dir: string;
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ns-e2e-"));
    const env = { ...dbEnv({ dataDir: dir }), NORTHSTAR_NOW: NOW };
    const demo = await runCli(["demo", "--days", "28", "--json"], env);
    expect(demo.code, demo.stderr).toBe(0);
    app = await startApp({ dataDir: dir }, { NORTHSTAR_NOW: NOW });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("lists the three demo products with the weekly active users the database holds", async () => {
    // Read the same figures through the running app's database (the CLI path).
    const handle = await openDatabase({ databaseUrl: "", dataDir: dir });
    const expected = await getPortfolioSummary(handle.db, { now: new Date(NOW) });
    await handle.close();
    expect(expected).toHaveLength(3);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cspViolations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    // Signed out, the portfolio sends us to the sign-in page, which lists the demo accounts.
    await page.goto(`${app.baseUrl}/`);
    await page.waitForURL("**/login");
    expect(await page.getByTestId("demo-accounts").innerText()).toContain(DEMO_PASSWORD);
    await page.getByLabel("E-mail").fill("exec@demo.northstar");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.baseUrl}/`);
    expect(await page.getByTestId("viewer").innerText()).toContain("exec");
    await expect.poll(() => page.locator("tr[data-row]").count()).toBe(3);
    for (const row of expected) {
      const cell = page.locator(`tr[data-row="${row.product.slug}"] td[data-col="active"]`);
      expect((await cell.innerText()).split("\n")[0]).toBe(formatCount(row.wau.current));
      expect(row.wau.current).toBeGreaterThan(0);
    }
    // docs/screenshots/portfolio.png comes from tests/e2e/dashboards.browser.test.ts (demo data over 35 days).

    const first = expected[0];
    if (!first) throw new Error("no product");
    await page.getByRole("link", { name: first.product.name }).click();
    await page.waitForURL(`**/products/${first.product.slug}`);
    expect(await page.locator("h1").innerText()).toBe(first.product.name);
    // docs/screenshots/product.png: see tests/e2e/dashboards.browser.test.ts.
    expect(cspViolations).toEqual([]);
    // `npm start` printed the demo accounts, since only demo data is loaded.
    expect(app.output()).toContain(`Demo accounts (password "${DEMO_PASSWORD}"`);

    // Signing out ends the session: the portfolio asks for a sign-in again.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/login");
    await page.goto(`${app.baseUrl}/`);
    await page.waitForURL("**/login");
    await page.close();
  });
});
