import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../lib/auth/demo-accounts";
import { formatCount, formatPercent } from "../../lib/ui/format";
import { type RunningApp, startApp } from "../helpers/app-server";
import { HAS_CHROMIUM, launchBrowser, NO_CHROMIUM_MESSAGE } from "../helpers/browser";
import { dbEnv, ROOT, runCli } from "../helpers/cli";

const NOW = "2026-11-25T12:00:00Z";
const WEEK = "2026-W47";
const SCREENSHOTS = join(ROOT, "docs", "screenshots");

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? "dashboards in a real browser" : NO_CHROMIUM_MESSAGE, () => {
  let dir: string;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let env: Record<string, string | undefined>;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  /** The CLI's JSON for the same product and period, read through the running app's database. */
  const cli = async (args: string[]) => {
    const r = await runCli([...args, "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const open = async (path: string, ready: string) => {
    const started = Date.now();
    await page.goto(`${app.baseUrl}${path}`);
    await page.getByText(ready, { exact: false }).first().waitFor();
    return Date.now() - started;
  };
  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ns-dash-"));
    env = { ...dbEnv({ dataDir: dir }), NORTHSTAR_NOW: NOW };
    const demo = await runCli(["demo", "--days", "35", "--json"], env);
    expect(demo.code, demo.stderr).toBe(0);
    app = await startApp({ dataDir: dir }, { NORTHSTAR_NOW: NOW });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel("E-mail").fill("admin@demo.northstar");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.baseUrl}/`);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows the portfolio with each product's active users as the CLI computes them", async () => {
    await open("/", "Portfolio");
    for (const slug of ["atlas", "pulse", "forge"]) {
      const report = await cli(["metrics", "kpis", "--product", slug, "--week", WEEK]);
      const cell = page.locator(`tr[data-row="${slug}"] td[data-col="active"]`);
      expect((await cell.innerText()).split("\n")[0]).toBe(formatCount(report.metrics.wau));
    }
    // Sorting by a column reorders the rows.
    await page.getByRole("button", { name: /Mentions/ }).click();
    expect(await page.locator("th[aria-sort]").getAttribute("aria-sort")).toMatch(/ascending|descending/);
    await shoot("portfolio");
  }, 120_000);

  it("shows the KPI board with the CLI's figures, and the period picker changes the week", async () => {
    const report = await cli(["metrics", "kpis", "--product", "atlas", "--week", WEEK]);
    const ms = await open("/products/atlas", "Top movers");
    expect(await page.getByTestId("kpi-wau").innerText()).toBe(formatCount(report.metrics.wau));
    expect(await page.getByTestId("kpi-sessions").innerText()).toBe(formatCount(report.metrics.sessions));
    expect(await page.getByTestId("kpi-bounce_rate").innerText()).toBe(
      formatPercent(report.metrics.bounce_rate),
    );
    expect(await page.getByTestId("kpi-mau").innerText()).toBe(formatCount(report.metrics.mau));
    expect(await page.getByTestId("period-label").innerText()).toContain(WEEK);
    // The charts drew (recharts renders in the browser) and the release marker is on them.
    await page.locator('[data-testid="chart-active"] svg.recharts-surface').first().waitFor();
    expect(await page.locator(".recharts-reference-line").count()).toBeGreaterThan(0);
    // Definitions open on click.
    await page.locator('[data-metric="wau"] summary').click();
    expect(await page.locator('[data-metric="wau"] .definition-body').innerText()).toContain(
      "Distinct actors",
    );
    await shoot("product");
    process.stderr.write(`[dashboards] KPI board loaded in ${ms} ms (browser, incl. charts)\n`);

    // Period picker: the week before.
    await page.getByTestId("period-kind").selectOption("week");
    await page.getByTestId("period-week").fill("2026-W46");
    await page.getByTestId("period-apply").click();
    await page.waitForURL(/week=2026-W46/);
    await expect.poll(() => page.getByTestId("period-label").innerText()).toContain("2026-W46");
    const before = await cli(["metrics", "kpis", "--product", "atlas", "--week", "2026-W46"]);
    expect(await page.getByTestId("kpi-wau").innerText()).toBe(formatCount(before.metrics.wau));
    // And a custom range.
    await page.getByTestId("period-kind").selectOption("custom");
    await page.getByTestId("period-from").fill("2026-11-01");
    await page.getByTestId("period-to").fill("2026-11-14");
    await page.getByTestId("period-apply").click();
    await page.waitForURL(/from=2026-11-01&to=2026-11-14/);
    const custom = await cli([
      "metrics",
      "kpis",
      "--product",
      "atlas",
      "--from",
      "2026-11-01",
      "--to",
      "2026-11-14",
    ]);
    await expect
      .poll(() => page.getByTestId("kpi-new_users").innerText())
      .toBe(formatCount(custom.metrics.new_users));
  }, 180_000);

  it("builds a funnel in the form and shows the CLI's step counts", async () => {
    await open(`/products/atlas/funnels?week=${WEEK}`, "Biggest drop-off");
    const builder = page.getByTestId("funnel-builder");
    const steps = builder.getByTestId("funnel-step");
    await steps.nth(0).locator("select").selectOption("pageview");
    await steps.nth(1).locator("select").selectOption("signed_up");
    expect(await steps.count()).toBe(3); // the default funnel: pageview → signed_up → subscription_started
    await builder.getByTestId("funnel-add-step").click();
    await steps.nth(2).locator("select").selectOption("report_created");
    await steps.nth(3).locator("select").selectOption("comment_added");
    await builder.getByTestId("funnel-run").click();
    await page.waitForURL(/step=comment_added/);
    const expected = await cli([
      "metrics",
      "funnel",
      "--product",
      "atlas",
      "--week",
      WEEK,
      "--steps",
      "pageview,signed_up,report_created,comment_added",
    ]);
    const table = page.getByTestId("funnel-steps");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(expected.steps.length);
    for (const [i, step] of expected.steps.entries()) {
      const cell = table.locator("tbody tr").nth(i).locator('td[data-col="count"]');
      expect(await cell.innerText()).toBe(formatCount(step.count));
    }
    await shoot("funnels");
  }, 180_000);

  it("shows feature adoption as the CLI computes it, and a feature's drill-down", async () => {
    const expected = await cli(["metrics", "adoption", "--product", "atlas", "--week", WEEK]);
    await open(`/products/atlas/features`, "Adoption");
    for (const f of expected.features) {
      const row = page.locator(`tr[data-row="${f.key}"]`);
      expect(await row.locator('td[data-col="adopters"]').innerText()).toBe(formatCount(f.adopters));
      expect(await row.locator('td[data-col="adoption_rate"]').innerText()).toBe(
        formatPercent(f.adoption_rate),
      );
    }
    await shoot("features");
    await page.locator('tr[data-row="reports"] a').first().click();
    await page.waitForURL(/features\/reports/);
    await page.getByText("Adoption by week").first().waitFor();
    const reports = expected.features.find((f: { key: string }) => f.key === "reports");
    expect(await page.getByTestId("feature-adoption").innerText()).toBe(formatPercent(reports.adoption_rate));
    await shoot("feature");
  }, 180_000);

  it("shows the retention heat map with the CLI's cohorts, and the on-or-after toggle", async () => {
    const expected = await cli([
      "metrics",
      "retention",
      "--product",
      "atlas",
      "--from",
      "2026-09-28",
      "--to",
      "2026-11-22",
    ]);
    await open(`/products/atlas/retention`, "Weekly cohorts");
    for (const c of expected.cohorts) {
      const row = page.locator(`tr[data-cohort="${c.cohort}"]`);
      expect(await row.locator("td").first().innerText()).toBe(String(c.size));
      if (c.rates[1] !== null && c.size > 0) {
        expect(await row.locator('td[data-week="1"]').innerText()).toBe(formatPercent(c.rates[1]));
      }
    }
    await shoot("retention");
    await page.getByTestId("mode-on-or-after").click();
    await page.waitForURL(/mode=on_or_after/);
    await page.getByTestId("retention-heatmap").waitFor();
  }, 180_000);

  it("shows feedback scores with response counts, and filters verbatims", async () => {
    const expected = await cli(["metrics", "feedback", "--product", "atlas", "--week", WEEK]);
    await open(`/products/atlas/feedback`, "Verbatims");
    const nps = await page.getByTestId("kpi-nps").innerText();
    if (expected.nps === null) expect(nps).toBe("–");
    else expect(Number(nps.replace("+", ""))).toBeCloseTo(expected.nps, 1);
    expect(await page.locator('[data-metric="nps"]').innerText()).toContain(
      `${expected.nps_responses} responses`,
    );
    await shoot("feedback");
    const filters = page.getByTestId("verbatim-filters");
    await filters.locator('select[name="score"]').selectOption("detractor");
    await filters.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/score=detractor/);
    const scores = await page.locator('[data-testid="verbatims-table"] td[data-col="score"]').allInnerTexts();
    for (const s of scores) expect(Number(s)).toBeLessThan(7);
  }, 180_000);

  it("shows mentions with links out that open safely", async () => {
    await open(`/products/atlas/mentions`, "Mentions by source and week");
    const links = page.locator('[data-testid="mentions-table"] a[target="_blank"]');
    const n = await links.count();
    for (let i = 0; i < n; i++) expect(await links.nth(i).getAttribute("rel")).toBe("noopener noreferrer");
    await shoot("mentions");
  }, 120_000);

  it("stays readable at a phone's width", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open("/products/atlas", "Top movers");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shoot("product-mobile");
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);

  it("raised no CSP violation and no page error along the way", () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
