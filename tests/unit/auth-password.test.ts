import { describe, expect, it } from "vitest";
import { generateDemo } from "../../db/seed/demo-data";
import { DEMO_PRODUCT_SLUGS } from "../../lib/auth/demo-accounts";
import { checkPasswordPolicy, hashPassword, verifyPassword } from "../../lib/auth/password";
import { generateSessionToken, hashSessionToken, isWellFormedSessionToken } from "../../lib/auth/tokens";

describe("password hashing (scrypt)", () => {
  it("stores the parameters and a fresh salt with each hash, and verifies only the right password", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b); // different salts
    expect(a).not.toContain("correct");
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse battery", b)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
  });

  it("treats Unicode-equivalent spellings as the same password (NFKC)", async () => {
    const hash = await hashPassword("caf\u00e9-passw0rd");
    expect(await verifyPassword("cafe\u0301-passw0rd", hash)).toBe(true);
  });

  it("never matches (and never throws on) malformed or out-of-range hashes", async () => {
    const good = await hashPassword("0123456789");
    const parts = good.split("$");
    const withParams = (n: string) => [parts[0], n, ...parts.slice(2)].join("$");
    for (const stored of [
      "",
      "plain",
      "scrypt$15$8$1$abc",
      "bcrypt$x$y$z$a$b",
      withParams("40"),
      withParams("x"),
    ]) {
      expect(await verifyPassword("0123456789", stored)).toBe(false);
    }
    expect(await verifyPassword("0123456789", withParams("15"))).toBe(true);
  });

  it("refuses passwords under 10 characters and absurdly long ones", () => {
    expect(checkPasswordPolicy("123456789")).toMatch(/at least 10/);
    expect(checkPasswordPolicy("1234567890")).toBeNull();
    expect(checkPasswordPolicy("x".repeat(1025))).toMatch(/at most 1024/);
  });
});

describe("session tokens", () => {
  it("are 32 random bytes in base64url, stored only as their SHA-256", () => {
    const t = generateSessionToken();
    expect(t).toHaveLength(43);
    expect(isWellFormedSessionToken(t)).toBe(true);
    expect(generateSessionToken()).not.toBe(t);
    // SHA-256("abc"), a published test vector.
    expect(hashSessionToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashSessionToken(t)).not.toContain(t);
  });

  it("rejects anything that is not a well-formed token before any lookup", () => {
    for (const bad of [
      undefined,
      null,
      42,
      "",
      "short",
      `${"a".repeat(42)}=`,
      `${"a".repeat(42)}'`,
      "a".repeat(44),
    ]) {
      expect(isWellFormedSessionToken(bad)).toBe(false);
    }
  });
});

describe("demo product slugs", () => {
  it("match the products the demo generator creates", () => {
    const demo = generateDemo({ end: new Date("2026-11-25T00:00:00Z"), days: 7 });
    expect(demo.products.map((p) => p.slug).sort()).toEqual([...DEMO_PRODUCT_SLUGS].sort());
  });
});
