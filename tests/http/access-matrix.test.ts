import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createApiKey } from "../../lib/auth/api-keys";
import { createUser, grantMembership } from "../../lib/auth/users";
import { createProduct } from "../../lib/queries/products";
import { type RunningApp, signIn, startApp } from "../helpers/app-server";
import { ROOT } from "../helpers/cli";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

/**
 * The acceptance matrix of issue 7: every page and route handler found under
 * app/ (so a new one cannot be forgotten) x every kind of caller, with the
 * expected outcome, and no response ever naming the product the caller may not see.
 */

const PASSWORD = "matrix-password-123";
const MINE = { slug: "kestrel", name: "Kestrel Analytics" };
const THEIRS = { slug: "quokka", name: "Quokka Mobile" };

type Persona =
  | "loggedOut"
  | "admin"
  | "exec"
  | "leadPm"
  | "member"
  | "otherMember"
  | "writeKey"
  | "ownReadKey"
  | "otherReadKey";
const PERSONAS: Persona[] = [
  "loggedOut",
  "admin",
  "exec",
  "leadPm",
  "member",
  "otherMember",
  "writeKey",
  "ownReadKey",
  "otherReadKey",
];
const SESSION_PERSONAS = ["admin", "exec", "leadPm", "member", "otherMember"] as const;
/** Callers that must never see anything of THEIRS (the other product). */
const CONFINED: Persona[] = ["leadPm", "member", "writeKey", "ownReadKey"];

interface FoundRoute {
  file: string;
  kind: "page" | "route";
  /** URL pattern, e.g. /products/[slug]. */
  pattern: string;
  methods: string[];
}

/** Every app/**\/page.tsx and app/**\/route.ts, as URL patterns (route groups and private folders handled). */
function enumerateRoutes(appDir = join(ROOT, "app")): FoundRoute[] {
  const found: FoundRoute[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) {
        if (!entry.startsWith("_")) walk(full);
        continue;
      }
      const m = entry.match(/^(page|route)\.(tsx?|jsx?)$/);
      if (!m) continue;
      const segments = relative(appDir, dir)
        .split(sep)
        .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
      const source = readFileSync(full, "utf8");
      const methods =
        m[1] === "route"
          ? [
              ...source.matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
            ].map((x) => x[1] as string)
          : ["GET"];
      found.push({
        file: relative(ROOT, full),
        kind: m[1] as "page" | "route",
        pattern: `/${segments.join("/")}`,
        methods,
      });
    }
  };
  walk(appDir);
  return found.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

type Outcome =
  | { status: number[] }
  | { redirectTo: string }
  /** 200 when the params name something that exists; else 404 (unknown dynamic segments). */
  | { status: number[]; note: string };

const ok = { status: [200] };
const notFound = { status: [404] };
const toLogin = { redirectTo: "/login" };
const refusedKey = { status: [401, 403] };
const INGEST = ["track", "page", "identify", "screen", "batch", "capture"];
const ADMIN_ONLY = /^\/(settings|admin|users|keys)(\/|$)/;
// Product pages that change configuration; the features page is the read-only adoption dashboard.
const CONFIGURE = /\/(settings|sources|keys|targets)(\/|$)/;

/** The expected outcome of one route for one caller: the matrix, as code. */
function expectedOutcome(route: FoundRoute, method: string, persona: Persona): Outcome | "unclassified" {
  const p = route.pattern;
  const session = (SESSION_PERSONAS as readonly string[]).includes(persona);
  const unknownParams = /\[(?!slug\])[^\]]+\]/.test(p);
  const visibleOk = unknownParams ? { status: [200, 404], note: "sample id" } : ok;
  if (route.kind === "page") {
    if (p === "/login") return session ? { redirectTo: "/" } : ok;
    if (!session) return toLogin;
    // The settings hub lists only what the viewer may configure; a product's settings need configure rights.
    if (p === "/settings") return visibleOk;
    if (p.startsWith("/settings/products/[slug]"))
      return ["admin", "leadPm"].includes(persona) ? visibleOk : notFound;
    if (ADMIN_ONLY.test(p)) return persona === "admin" ? visibleOk : notFound;
    if (p.startsWith("/products/[slug]")) {
      const configure = CONFIGURE.test(p.slice("/products/[slug]".length));
      const allowed = configure ? ["admin", "leadPm"] : ["admin", "exec", "leadPm", "member"];
      return allowed.includes(persona) ? visibleOk : notFound;
    }
    return visibleOk; // portfolio-wide pages list only what the viewer may see (checked below)
  }
  if (p === "/logout") return method === "POST" ? { redirectTo: "/login" } : { status: [405] };
  if (p.startsWith("/api/v1/products/[slug]")) {
    if (persona === "ownReadKey") return visibleOk;
    if (persona === "otherReadKey") return notFound;
    return refusedKey; // write key, no key, or a cookie: the read API takes read keys only
  }
  if (INGEST.some((name) => p === `/api/v1/${name}`)) {
    if (persona === "writeKey") return { status: [200, 201, 202] };
    return refusedKey;
  }
  return "unclassified";
}

/**
 * Query parameters a route needs to answer 200 (read routes take a period;
 * the funnel also needs steps). A new route with required parameters adds its
 * sample here.
 */
function sampleQuery(route: FoundRoute): string {
  if (!route.pattern.startsWith("/api/v1/products/[slug]/")) return "";
  const period = "from=2026-11-16&to=2026-11-22";
  if (route.pattern.endsWith("/funnel")) return `?${period}&steps=pageview,signed_up`;
  return `?${period}`;
}

let messageCounter = 0;
function ingestBody(name: string): unknown {
  const id = () => `matrix-${process.pid}-${++messageCounter}`;
  const base = { anonymousId: "matrix-anon", timestamp: "2026-11-20T10:00:00.000Z" };
  switch (name) {
    case "track":
      return { ...base, type: "track", event: "Matrix Event", messageId: id() };
    case "page":
      return { ...base, type: "page", name: "Home", messageId: id(), properties: { url: "https://x.test/" } };
    case "screen":
      return { ...base, type: "screen", name: "Home", messageId: id() };
    case "identify":
      return { ...base, type: "identify", userId: "matrix-user", messageId: id(), traits: {} };
    case "batch":
      return { batch: [{ ...base, type: "track", event: "Matrix Event", messageId: id() }] };
    default:
      return { event: "$pageview", distinct_id: "matrix-anon", uuid: crypto.randomUUID(), properties: {} };
  }
}

describe.each(ENGINES)("access matrix on $label", ({ engine, skip }) => {
  let app: RunningApp;
  let cleanup: () => Promise<void> = async () => {};
  const auth: Record<Persona, Record<string, string>> = {} as Record<Persona, Record<string, string>>;
  const secrets: string[] = [PASSWORD];
  const bodies: string[] = [];
  const routes = enumerateRoutes();

  async function call(path: string, method: string, persona: Persona, extra: Record<string, string> = {}) {
    const ingest = INGEST.some((n) => path === `/api/v1/${n}`);
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      redirect: "manual",
      headers: {
        ...auth[persona],
        ...(method === "POST" ? { origin: app.baseUrl, "content-type": "application/json" } : {}),
        ...extra,
      },
      body:
        method === "POST" ? JSON.stringify(ingest ? ingestBody(path.split("/").pop() ?? "") : {}) : undefined,
    });
    const body = await res.text();
    bodies.push(body);
    return { status: res.status, location: res.headers.get("location"), body, headers: res.headers };
  }

  async function signInAll() {
    for (const persona of SESSION_PERSONAS) {
      const cookie = await signIn(app.baseUrl, `${persona}@matrix.test`, PASSWORD);
      secrets.push(cookie.split("=")[1] as string);
      auth[persona] = { cookie };
    }
  }

  beforeAll(async () => {
    if (skip) return;
    let target: { dataDir?: string; url?: string };
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-matrix-"));
      target = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      target = { url: pg.url };
      cleanup = pg.drop;
    }
    const handle = await openDatabase({ databaseUrl: target.url ?? "", dataDir: target.dataDir });
    await migrateDatabase(handle.db, handle.engine);
    const db = handle.db;
    const mine = await createProduct(db, { ...MINE, timezone: "UTC", weekStart: "monday" });
    const theirs = await createProduct(db, { ...THEIRS, timezone: "UTC", weekStart: "monday" });
    const people: [Persona, "admin" | "exec" | "lead_pm" | "member"][] = [
      ["admin", "admin"],
      ["exec", "exec"],
      ["leadPm", "lead_pm"],
      ["member", "member"],
      ["otherMember", "member"],
    ];
    const ids: Record<string, number> = {};
    for (const [persona, role] of people) {
      ids[persona] = (await createUser(db, { email: `${persona}@matrix.test`, role, password: PASSWORD })).id;
    }
    await grantMembership(db, { userId: ids.leadPm as number, productId: mine.id, role: "lead_pm" });
    await grantMembership(db, { userId: ids.member as number, productId: mine.id, role: "member" });
    await grantMembership(db, { userId: ids.otherMember as number, productId: theirs.id, role: "member" });
    const writeKey = (await createApiKey(db, { productId: mine.id, kind: "write" })).key;
    const ownRead = (await createApiKey(db, { productId: mine.id, kind: "read" })).key;
    const otherRead = (await createApiKey(db, { productId: theirs.id, kind: "read" })).key;
    secrets.push(writeKey, ownRead, otherRead);
    await handle.close();

    app = await startApp(target, { NORTHSTAR_NOW: "2026-11-25T12:00:00Z" });
    auth.loggedOut = {};
    auth.writeKey = { authorization: `Bearer ${writeKey}` };
    auth.ownReadKey = { authorization: `Bearer ${ownRead}` };
    auth.otherReadKey = { authorization: `Bearer ${otherRead}` };
    await signInAll();
  });
  afterAll(async () => {
    await app?.stop();
    await cleanup();
  });

  it("finds the app's pages and route handlers on disk", () => {
    const patterns = routes.map((r) => r.pattern);
    expect(patterns).toEqual(expect.arrayContaining(["/", "/login", "/logout", "/products/[slug]"]));
    for (const r of routes) expect(r.methods.length, `${r.file} exports no HTTP method`).toBeGreaterThan(0);
  });

  it.skipIf(skip)(
    "gives every route the expected outcome for every caller, never showing the other product",
    async () => {
      const failures: string[] = [];
      // Signing out comes last: it ends the personas' sessions (they sign in again below).
      const ordered = [
        ...routes.filter((r) => r.pattern !== "/logout"),
        ...routes.filter((r) => r.pattern === "/logout"),
      ];
      for (const route of ordered) {
        const path = `${route.pattern.replace("[slug]", MINE.slug).replace(/\[[^\]]+\]/g, "1")}${sampleQuery(route)}`;
        for (const method of route.methods) {
          for (const persona of PERSONAS) {
            const expected = expectedOutcome(route, method, persona);
            const label = `${method} ${path} as ${persona}`;
            if (expected === "unclassified") {
              failures.push(`${label}: unclassified route ${route.file}; add it to expectedOutcome()`);
              continue;
            }
            const res = await call(path, method, persona);
            if ("redirectTo" in expected) {
              const to = res.location ? new URL(res.location, app.baseUrl).pathname : null;
              if (![302, 303, 307, 308].includes(res.status) || to !== expected.redirectTo)
                failures.push(
                  `${label}: expected redirect to ${expected.redirectTo}, got ${res.status} ${res.location}`,
                );
            } else if (!expected.status.includes(res.status)) {
              failures.push(`${label}: expected ${expected.status.join("/")}, got ${res.status}`);
            }
            if (
              CONFINED.includes(persona) &&
              (res.body.includes(THEIRS.name) || res.body.includes(THEIRS.slug))
            )
              failures.push(`${label}: response mentions ${THEIRS.slug}`);
            // The slug is in the URL this caller typed (and echoed in Next's payload); the name is data.
            if (persona === "otherMember" && res.body.includes(MINE.name))
              failures.push(`${label}: response mentions ${MINE.name}`);
            if (res.status >= 500) failures.push(`${label}: server error ${res.status}`);
          }
        }
      }
      await signInAll();
      expect(failures).toEqual([]);
    },
  );

  it.skipIf(skip)("lists on the portfolio exactly the products each viewer may read", async () => {
    const names = async (persona: Persona) => {
      const { body } = await call("/", "GET", persona);
      return [MINE.name, THEIRS.name].filter((n) => body.includes(n));
    };
    expect(await names("admin")).toEqual([MINE.name, THEIRS.name]);
    expect(await names("exec")).toEqual([MINE.name, THEIRS.name]);
    expect(await names("leadPm")).toEqual([MINE.name]);
    expect(await names("member")).toEqual([MINE.name]);
    expect(await names("otherMember")).toEqual([THEIRS.name]);
  });

  it.skipIf(skip)(
    "ignores x-middleware-subrequest: the proxy still runs and access is still checked",
    async () => {
      for (const value of [
        "proxy",
        "middleware",
        "proxy:proxy:proxy:proxy:proxy",
        "middleware:middleware:middleware:middleware:middleware",
        "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
      ]) {
        const extra = { "x-middleware-subrequest": value };
        const out = await call("/", "GET", "loggedOut", extra);
        expect([out.status, out.location], value).toEqual([307, "/login"]);
        expect(out.headers.get("content-security-policy"), value).toMatch(/'nonce-/);
        const hidden = await call(`/products/${MINE.slug}`, "GET", "otherMember", extra);
        expect(hidden.status, value).toBe(404);
        expect(hidden.body).not.toContain(MINE.name);
        const page = await call("/", "GET", "member", extra);
        expect(page.status).toBe(200);
        expect(page.body).not.toContain(THEIRS.name);
      }
    },
  );

  it.skipIf(skip)(
    "answers SQL-injection payloads in paths and query parameters with 400/404 or the normal page, never 500",
    async () => {
      const payloads = [
        "' OR '1'='1",
        "kestrel'--",
        "1; DROP TABLE users; --",
        '" OR 1=1 --',
        "kestrel%00",
        "../../etc/passwd",
        "%27%20union%20select%201,2,3--",
      ];
      const failures: string[] = [];
      for (const payload of payloads) {
        const enc = encodeURIComponent(payload);
        for (const route of routes.filter((r) => r.pattern.includes("[slug]"))) {
          const path = route.pattern.replace("[slug]", enc).replace(/\[[^\]]+\]/g, "1");
          const persona: Persona = route.pattern.startsWith("/api/") ? "ownReadKey" : "admin";
          for (const method of route.methods) {
            const res = await call(path, method, persona);
            if (![400, 404].includes(res.status)) failures.push(`${method} ${path}: ${res.status}`);
          }
        }
        for (const route of routes.filter(
          (r) => r.kind === "page" || r.pattern.startsWith("/api/v1/products/"),
        )) {
          const base = route.pattern.replace("[slug]", MINE.slug).replace(/\[[^\]]+\]/g, "1");
          const query = ["sort", "order", "group", "filter", "from", "to", "q", "period", "next", "error"]
            .map((k) => `${k}=${enc}`)
            .join("&");
          const persona: Persona = route.pattern.startsWith("/api/") ? "ownReadKey" : "admin";
          const res = await call(`${base}?${query}`, "GET", persona);
          if (res.status >= 500) failures.push(`GET ${base}?${query}: ${res.status}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it.skipIf(skip)(
    "never shows password hashes, keys, session tokens, stack traces or SQL errors",
    async () => {
      const all = bodies.join("\n");
      expect(all.length).toBeGreaterThan(1000);
      for (const secret of secrets) expect(all.includes(secret), "a secret in a response").toBe(false);
      expect(all).not.toMatch(/scrypt\$/);
      expect(all).not.toMatch(/password_hash|key_hash|token_hash/);
      expect(all).not.toMatch(/syntax error at or near|PostgresError|relation ".*" does not exist/);
      expect(all).not.toMatch(/\n\s+at .+\((?:\/|file:)[^)]+:\d+:\d+\)/);
      const log = app.output();
      for (const secret of secrets) expect(log.includes(secret), "a secret in the server log").toBe(false);
      expect(log).not.toMatch(/scrypt\$/);
    },
  );
});
