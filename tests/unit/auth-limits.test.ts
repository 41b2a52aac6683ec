import { describe, expect, it } from "vitest";
import { isPlausibleSlug, isProductActionAllowed } from "../../lib/access/roles";
import { lockoutDelayMs } from "../../lib/auth/login";
import { clientAddress } from "../../lib/auth/login-limits";
import { checkSameOrigin } from "../../lib/auth/origin";
import { createRateLimiter } from "../../lib/auth/rate-limit";
import { buildContentSecurityPolicy, securityHeaders } from "../../lib/auth/security-headers";

const h = (entries: Record<string, string>) => new Headers(entries);

describe("per-address rate limiter", () => {
  it("allows `limit` hits per window, then refuses until the window ends", () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 1000 });
    expect(limiter.hit("ip", 0).allowed).toBe(true);
    expect(limiter.hit("ip", 100).allowed).toBe(true);
    expect(limiter.check("ip", 100).allowed).toBe(true);
    expect(limiter.hit("ip", 200)).toEqual({ allowed: false, retryAfterMs: 800 });
    expect(limiter.check("ip", 999)).toEqual({ allowed: false, retryAfterMs: 1 });
    expect(limiter.check("other", 999).allowed).toBe(true);
    expect(limiter.check("ip", 1000).allowed).toBe(true); // window over
    limiter.hit("ip", 1000);
    limiter.reset("ip");
    expect(limiter.size()).toBe(0);
  });

  it("keeps at most maxKeys keys, dropping expired then oldest windows", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, maxKeys: 3 });
    limiter.hit("a", 0);
    limiter.hit("b", 10);
    limiter.hit("c", 2000); // a and b have expired by now
    limiter.hit("d", 2000);
    expect(limiter.size()).toBe(2);
    limiter.hit("e", 2001);
    limiter.hit("f", 2002); // full: the oldest live key (c) goes
    expect(limiter.size()).toBe(3);
    expect(limiter.check("c", 2002).allowed).toBe(true);
    expect(limiter.check("f", 2002).allowed).toBe(false);
  });

  it("keys on the first X-Forwarded-For address", () => {
    expect(clientAddress(h({ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }))).toBe("203.0.113.9");
    expect(clientAddress(h({}))).toBe("unknown");
  });
});

describe("account back-off", () => {
  it("locks nothing for four failures, then 30 s doubling per failure up to an hour", () => {
    expect([0, 1, 4].map(lockoutDelayMs)).toEqual([0, 0, 0]);
    expect(lockoutDelayMs(5)).toBe(30_000);
    expect(lockoutDelayMs(6)).toBe(60_000);
    expect(lockoutDelayMs(7)).toBe(120_000);
    expect(lockoutDelayMs(11)).toBe(1_920_000);
    expect(lockoutDelayMs(12)).toBe(3_600_000);
    expect(lockoutDelayMs(1000)).toBe(3_600_000);
  });
});

describe("same-origin check (CSRF)", () => {
  it("accepts Origin equal to the host, or Sec-Fetch-Site same-origin without Origin", () => {
    expect(checkSameOrigin(h({ host: "a.test:3000", origin: "http://a.test:3000" })).ok).toBe(true);
    expect(checkSameOrigin(h({ host: "A.test", origin: "https://a.test" })).ok).toBe(true);
    expect(checkSameOrigin(h({ host: "a.test", "sec-fetch-site": "same-origin" })).ok).toBe(true);
    // Behind a proxy, Next compares with X-Forwarded-Host; so do we.
    expect(
      checkSameOrigin(
        h({ host: "10.0.0.5:3000", "x-forwarded-host": "ns.example.com", origin: "https://ns.example.com" }),
      ).ok,
    ).toBe(true);
  });

  it("refuses other sites, Origin: null, a missing Origin and malformed values", () => {
    const refused: Record<string, string>[] = [
      { host: "a.test", origin: "http://evil.test" },
      { host: "a.test", origin: "http://a.test.evil.test" },
      { host: "a.test:3000", origin: "http://a.test:3001" },
      { host: "a.test", origin: "null" },
      { host: "a.test" },
      { host: "a.test", "sec-fetch-site": "cross-site" },
      { host: "a.test", "sec-fetch-site": "same-site" },
      { host: "a.test", origin: "not a url" },
      { origin: "http://a.test" },
    ];
    for (const headers of refused)
      expect(checkSameOrigin(h(headers)).ok, JSON.stringify(headers)).toBe(false);
  });
});

describe("access rule", () => {
  it("admin everything; exec reads all; memberships read; only lead_pm memberships configure", () => {
    const cases: [Parameters<typeof isProductActionAllowed>, boolean][] = [
      [["admin", null, "read"], true],
      [["admin", null, "configure"], true],
      [["exec", null, "read"], true],
      [["exec", null, "configure"], false],
      [["lead_pm", "lead_pm", "read"], true],
      [["lead_pm", "lead_pm", "configure"], true],
      [["lead_pm", "member", "configure"], false],
      [["lead_pm", null, "read"], false],
      [["member", "member", "read"], true],
      [["member", "member", "configure"], false],
      [["member", null, "read"], false],
    ];
    for (const [args, expected] of cases)
      expect(isProductActionAllowed(...args), args.join(" ")).toBe(expected);
  });

  it("only looks up slugs that could exist", () => {
    expect(isPlausibleSlug("atlas-2")).toBe(true);
    for (const bad of ["", "Atlas", "a'b", "' or 1=1 --", "a/b", "-a", "a".repeat(64)])
      expect(isPlausibleSlug(bad)).toBe(false);
  });
});

describe("security headers", () => {
  it("builds a nonce CSP with no plugins, no base, no framing", () => {
    const csp = buildContentSecurityPolicy("abc", { dev: false, https: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(buildContentSecurityPolicy("abc", { dev: true, https: true })).toMatch(
      /unsafe-eval.*upgrade-insecure-requests/,
    );
  });

  it("sends HSTS only over https", () => {
    expect(securityHeaders({ https: false })["strict-transport-security"]).toBeUndefined();
    expect(securityHeaders({ https: true })["strict-transport-security"]).toMatch(/^max-age=\d+/);
    expect(securityHeaders({ https: false })["x-content-type-options"]).toBe("nosniff");
  });
});
