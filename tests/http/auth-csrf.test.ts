import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createUser } from "../../lib/auth/users";
import { createProduct } from "../../lib/queries/products";
import { postLogin, type RunningApp, signIn, startApp } from "../helpers/app-server";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

const PASSWORD = "csrf-password-123";
const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("ns_session="));

describe.each(ENGINES)("sign-in, sign-out, CSRF and headers on $label", ({ engine, skip }) => {
  let app: RunningApp;
  let cleanup: () => Promise<void> = async () => {};
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}${path}`, { headers, redirect: "manual" });
  const logout = (cookie: string, headers: Record<string, string>) =>
    fetch(`${app.baseUrl}/logout`, { method: "POST", headers: { cookie, ...headers }, redirect: "manual" });

  beforeAll(async () => {
    if (skip) return;
    let target: { dataDir?: string; url?: string };
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-csrf-"));
      target = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      target = { url: pg.url };
      cleanup = pg.drop;
    }
    const handle = await openDatabase({ databaseUrl: target.url ?? "", dataDir: target.dataDir });
    await migrateDatabase(handle.db, handle.engine);
    await createProduct(handle.db, { slug: "harbor", name: "Harbor", timezone: "UTC", weekStart: "monday" });
    await createUser(handle.db, { email: "ada@example.com", role: "admin", password: PASSWORD });
    await createUser(handle.db, { email: "locked@example.com", role: "exec", password: PASSWORD });
    await handle.close();
    app = await startApp(target);
  });
  afterAll(async () => {
    await app?.stop();
    await cleanup();
  });

  it.skipIf(skip)(
    "signs in with an http-only SameSite=Lax cookie and returns only to local paths",
    async () => {
      const res = await postLogin(app.baseUrl, {
        email: "ADA@example.com",
        password: PASSWORD,
        next: "/products/harbor",
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/products/harbor");
      const cookie = sessionCookie(res) ?? "";
      expect(cookie).toMatch(/^ns_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=lax/i);
      expect(cookie).not.toMatch(/Secure/i); // plain http here
      for (const next of ["https://evil.test/", "//evil.test/x", "/\\evil.test", "javascript:alert(1)"]) {
        const r = await postLogin(app.baseUrl, { email: "ada@example.com", password: PASSWORD, next });
        expect(r.headers.get("location"), next).toBe("/");
      }
      const https = await postLogin(
        app.baseUrl,
        { email: "ada@example.com", password: PASSWORD },
        { origin: app.baseUrl, "x-forwarded-proto": "https" },
      );
      expect(sessionCookie(https)).toMatch(/;\s*Secure/i);
    },
  );

  it.skipIf(skip)(
    "answers a wrong password and an unknown e-mail with the same generic message",
    async () => {
      for (const email of ["ada@example.com", "nobody@example.com"]) {
        const res = await postLogin(app.baseUrl, { email, password: "wrong-password" });
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe("/login?error=invalid");
        expect(sessionCookie(res)).toBeUndefined();
      }
      const page = await (await get("/login?error=invalid")).text();
      expect(page).toContain("Wrong e-mail or password.");
    },
  );

  it.skipIf(skip)(
    "refuses sign-in posts from another origin, with no Origin, or with Origin: null",
    async () => {
      const attempts: Record<string, string>[] = [
        { origin: "http://evil.test" },
        { origin: "null" },
        {},
        { "sec-fetch-site": "cross-site" },
      ];
      for (const headers of attempts) {
        const res = await postLogin(app.baseUrl, { email: "ada@example.com", password: PASSWORD }, headers);
        expect(sessionCookie(res), JSON.stringify(headers)).toBeUndefined();
        expect(res.headers.get("location") ?? "", JSON.stringify(headers)).not.toBe("/");
        expect(await res.text()).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }
    },
  );

  it.skipIf(skip)(
    "rotates the token on every sign-in: the browser's previous token stops working",
    async () => {
      const first = await signIn(app.baseUrl, "ada@example.com", PASSWORD);
      expect((await get("/", { cookie: first })).status).toBe(200);
      const form = await postLogin(
        app.baseUrl,
        { email: "ada@example.com", password: PASSWORD },
        { origin: app.baseUrl, cookie: first },
      );
      const second = (sessionCookie(form) ?? "").split(";")[0] as string;
      expect(second).not.toBe(first);
      expect((await get("/", { cookie: second })).status).toBe(200);
      expect((await get("/", { cookie: first })).status).toBe(307);
    },
  );

  it.skipIf(skip)("signs out only on a same-origin POST, and the token is dead afterwards", async () => {
    const cookie = await signIn(app.baseUrl, "ada@example.com", PASSWORD);
    const forged: Record<string, string>[] = [
      { origin: "http://evil.test" },
      { origin: "null" },
      {},
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of forged) {
      expect((await logout(cookie, headers)).status, JSON.stringify(headers)).toBe(403);
      expect((await get("/", { cookie })).status).toBe(200);
    }
    expect((await fetch(`${app.baseUrl}/logout`, { headers: { cookie }, redirect: "manual" })).status).toBe(
      405,
    );
    const out = await logout(cookie, { origin: app.baseUrl });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/login");
    expect(sessionCookie(out)).toMatch(/ns_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    const after = await get("/", { cookie });
    expect([after.status, after.headers.get("location")]).toEqual([307, "/login"]);
  });

  it.skipIf(skip)("locks an account after five failures, even against the right password", async () => {
    for (let i = 0; i < 5; i++)
      await postLogin(app.baseUrl, { email: "locked@example.com", password: "wrong-password" });
    const res = await postLogin(app.baseUrl, { email: "locked@example.com", password: PASSWORD });
    expect(res.headers.get("location")).toBe("/login?error=invalid");
    expect(sessionCookie(res)).toBeUndefined();
  });

  it.skipIf(skip)("sends a nonce CSP and the security headers on pages; HSTS only over https", async () => {
    const res = await get("/login");
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("'strict-dynamic'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain(`nonce="${nonce}"`);
    // Every inline or external script carries the nonce.
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    const again = (await get("/login")).headers.get("content-security-policy");
    expect(again).not.toBe(csp); // a fresh nonce per response
    const https = await get("/login", { "x-forwarded-proto": "https" });
    expect(https.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    const api = await fetch(`${app.baseUrl}/api/v1/track`, { method: "POST", body: "{}" });
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
