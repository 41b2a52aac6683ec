import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../lib/auth/demo-accounts";
import { type RunningApp, startApp } from "../helpers/app-server";
import { HAS_CHROMIUM, launchBrowser, NO_CHROMIUM_MESSAGE } from "../helpers/browser";
import { dbEnv, ROOT, runCli } from "../helpers/cli";

const NOW = "2026-11-25T12:00:00Z";
const SCREENSHOTS = join(ROOT, "docs", "screenshots");

/** Three Segment messages; line 2 lacks both user and anonymous id, so it is rejected. */
const NDJSON = [
  '{"type":"track","event":"Browser Upload","messageId":"browser-1","anonymousId":"b-1","timestamp":"2026-11-21T09:00:00Z"}',
  '{"type":"track","event":"Browser Upload","messageId":"browser-2","timestamp":"2026-11-21T09:05:00Z"}',
  '{"type":"track","event":"Browser Upload","messageId":"browser-3","userId":"u-3","timestamp":"2026-11-21T09:10:00Z"}',
].join("\n");

async function signInAs(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/`);
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM ? "imports and settings in a real browser" : NO_CHROMIUM_MESSAGE,
  () => {
    let dir: string;
    let app: RunningApp;
    let browser: Browser;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "ns-e2e-admin-"));
      const demo = await runCli(["demo", "--days", "14", "--json"], {
        ...dbEnv({ dataDir: dir }),
        NORTHSTAR_NOW: NOW,
      });
      expect(demo.code, demo.stderr).toBe(0);
      app = await startApp({ dataDir: dir }, { NORTHSTAR_NOW: NOW });
      browser = await launchBrowser();
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await app?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("uploads a Segment file and shows the run with its counts and the rejected row", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await signInAs(page, app.baseUrl, "pm@demo.northstar");
      await page.getByRole("link", { name: "Imports" }).click();
      await page.waitForURL("**/imports");
      const form = page.getByTestId("upload-form");
      await form.locator('[name="product"]').selectOption("atlas");
      await form.locator('[name="format"]').selectOption("auto");
      await form.locator('input[type="file"]').setInputFiles({
        name: "browser-upload.ndjson",
        mimeType: "application/x-ndjson",
        buffer: Buffer.from(NDJSON),
      });
      await form.getByRole("button", { name: "Upload and import" }).click();
      await page.waitForURL(/\/imports\/\d+$/);
      const value = (label: string) => page.getByTestId(`count-${label}`).locator(".value").innerText();
      expect([
        await value("read"),
        await value("inserted"),
        await value("duplicates"),
        await value("rejected"),
      ]).toEqual(["3", "2", "0", "1"]);
      expect(await page.getByTestId("run-format").innerText()).toBe("segment");
      const reject = page.getByTestId("rejects").locator("tbody tr");
      await expect.poll(() => reject.count(), { timeout: 20_000 }).toBe(1);
      expect(await reject.locator("td").first().innerText()).toBe("2");
      expect(await reject.innerText()).toContain("browser-2");

      // Back on the list, the new run is first; a run page for an unreadable file is never created.
      await page.getByRole("link", { name: "Imports" }).first().click();
      await page.waitForURL("**/imports");
      expect(await page.locator("tr[data-run]").first().innerText()).toContain("browser-upload.ndjson");
      await form.locator('input[type="file"]').setInputFiles({
        name: "empty.csv",
        mimeType: "text/csv",
        buffer: Buffer.alloc(0),
      });
      await form.getByRole("button", { name: "Upload and import" }).click();
      await expect
        .poll(() => form.getByRole("alert").first().innerText())
        .toContain("empty.csv: the file is empty.");
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "imports.png"), fullPage: true });
      await page.close();
    });

    it("creates a feature and a theme, shows a new API key once, and reads on a phone", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await signInAs(page, app.baseUrl, "pm@demo.northstar");
      await page.getByRole("link", { name: "Settings" }).click();
      await page.waitForURL("**/settings");
      await page.getByRole("link", { name: "Atlas" }).click();
      await page.waitForURL("**/settings/products/atlas");

      const feature = page.getByTestId("feature-form");
      await feature.locator('[name="key"]').fill("Bad Key");
      await feature.locator('[name="name"]').fill("Dark mode");
      await feature.locator('[name="eventNames"]').fill("theme_switched");
      await feature.getByRole("button", { name: "Add feature" }).click();
      await expect
        .poll(() => feature.locator(".ns-field-error").first().innerText())
        .toContain("key must be");
      expect(await feature.locator('[name="name"]').inputValue()).toBe("Dark mode");
      await feature.locator('[name="key"]').fill("dark-mode");
      await feature.locator('[name="keywords"]').fill("dark mode, night");
      await feature.getByRole("button", { name: "Add feature" }).click();
      await expect
        .poll(() => page.locator('tr[data-feature="dark-mode"]').count(), { timeout: 20_000 })
        .toBe(1);
      expect(await page.locator('tr[data-feature="dark-mode"]').innerText()).toContain("theme_switched");

      const theme = page.getByTestId("theme-form");
      await theme.locator('[name="name"]').fill("speed");
      await theme.locator('[name="keywords"]').fill("slow, fast, speed");
      await theme.getByRole("button", { name: "Save theme" }).click();
      await expect.poll(() => page.locator('tr[data-theme="speed"]').count(), { timeout: 20_000 }).toBe(1);
      expect(await theme.getByRole("status").innerText()).toMatch(/re-tagged \d+ comments and mentions/);

      const keys = page.getByTestId("key-form");
      await keys.locator('[name="kind"]').selectOption("write");
      await keys.locator('[name="name"]').fill("marketing site");
      await keys.getByRole("button", { name: "Create key" }).click();
      const secret = keys.getByTestId("secret").locator("code");
      await expect.poll(() => secret.count(), { timeout: 20_000 }).toBe(1);
      const key = await secret.innerText();
      expect(key).toMatch(/^ns_w_[0-9A-Za-z]{32}$/);
      expect(page.url()).not.toContain(key);
      await expect
        .poll(() => page.locator(`tr[data-key="${key.slice(0, 12)}"]`).count(), { timeout: 20_000 })
        .toBe(1);
      // The screenshot is committed: the key is masked even though it belongs to a throwaway database.
      await page.screenshot({ path: join(SCREENSHOTS, "settings.png"), fullPage: true, mask: [secret] });

      // Shown once: a reload lists the key by its prefix only.
      await page.reload();
      expect(await page.content()).not.toContain(key);
      expect(await page.locator(`tr[data-key="${key.slice(0, 12)}"]`).innerText()).toContain(
        "marketing site",
      );

      // Phone width: the page itself does not scroll sideways (wide tables scroll inside their panel).
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => document.querySelector("main")?.scrollWidth ?? 0);
      expect(overflow).toBeLessThanOrEqual(390);
      await page.close();
    });
  },
);
