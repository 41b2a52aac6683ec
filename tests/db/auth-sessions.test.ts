import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, users } from "../../db/schema/auth";
import { importRuns } from "../../db/schema/ingest";
import { DEMO_PASSWORD, ensureDemoAccounts, isDemoInUse } from "../../lib/auth/demo-accounts";
import { attemptLogin } from "../../lib/auth/login";
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  resolveSession,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
} from "../../lib/auth/sessions";
import { hashSessionToken } from "../../lib/auth/tokens";
import { createUser, setUserPassword, UserExistsError } from "../../lib/auth/users";
import { createProduct } from "../../lib/queries/products";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";

const T0 = new Date("2026-11-02T09:00:00Z");
const plus = (ms: number, from = T0) => new Date(from.getTime() + ms);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe.each(ENGINES)("accounts and sessions on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  let userId: number;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(engine);
    userId = (
      await createUser(t.db, { email: " Ada@Example.COM ", role: "admin", password: "first-password" })
    ).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)(
    "stores a lower-cased e-mail and a salted scrypt hash, and refuses duplicates and weak passwords",
    async () => {
      const [row] = await t.db.select().from(users).where(eq(users.id, userId));
      expect(row?.email).toBe("ada@example.com");
      expect(row?.passwordHash).toMatch(/^scrypt\$/);
      expect(row?.passwordHash).not.toContain("first-password");
      await expect(
        createUser(t.db, { email: "ADA@example.com", role: "member", password: "0123456789" }),
      ).rejects.toThrow(UserExistsError);
      await expect(
        createUser(t.db, { email: "b@example.com", role: "member", password: "short" }),
      ).rejects.toThrow(/at least 10/);
      await expect(
        createUser(t.db, { email: "no-at-sign", role: "member", password: "0123456789" }),
      ).rejects.toThrow(/e-mail/);
    },
  );

  it.skipIf(skip)(
    "stores only the token's hash, resolves the user, and slides expiry at most once a minute",
    async () => {
      const s = await createSession(t.db, { userId, now: T0, userAgent: "vitest" });
      expect(s.expiresAt).toEqual(plus(SESSION_IDLE_MS));
      const [row] = await t.db
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashSessionToken(s.token)));
      expect(row?.tokenHash).toHaveLength(64);
      expect(JSON.stringify(await t.db.select().from(sessions))).not.toContain(s.token);

      expect(await resolveSession(t.db, s.token, plus(30_000))).toMatchObject({ id: userId, role: "admin" });
      const after30s = await t.db
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashSessionToken(s.token)));
      expect(after30s[0]?.lastSeenAt).toEqual(T0); // under a minute: no write
      await resolveSession(t.db, s.token, plus(2 * MIN));
      const after2m = await t.db
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashSessionToken(s.token)));
      expect(after2m[0]?.lastSeenAt).toEqual(plus(2 * MIN));
      expect(after2m[0]?.expiresAt).toEqual(plus(2 * MIN + SESSION_IDLE_MS));
    },
  );

  it.skipIf(skip)("expires after 14 idle days, and 30 days after sign-in however active", async () => {
    const idle = await createSession(t.db, { userId, now: T0 });
    expect(await resolveSession(t.db, idle.token, plus(SESSION_IDLE_MS - MIN))).not.toBeNull();
    const lateIdle = await createSession(t.db, { userId, now: T0 });
    expect(await resolveSession(t.db, lateIdle.token, plus(SESSION_IDLE_MS + 1))).toBeNull();

    const busy = await createSession(t.db, { userId, now: T0 });
    for (let day = 10; day < 30; day += 10)
      expect(await resolveSession(t.db, busy.token, plus(day * DAY))).not.toBeNull();
    expect(await resolveSession(t.db, busy.token, plus(SESSION_MAX_MS - MIN))).not.toBeNull();
    expect(await resolveSession(t.db, busy.token, plus(SESSION_MAX_MS + 1))).toBeNull();
    expect(await deleteExpiredSessions(t.db, plus(SESSION_MAX_MS + DAY))).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(skip)(
    "rotates on sign-in (the browser's old token dies), and logout kills the token",
    async () => {
      const old = await createSession(t.db, { userId, now: T0 });
      const fresh = await createSession(t.db, { userId, now: T0, replacing: old.token });
      expect(fresh.token).not.toBe(old.token);
      expect(await resolveSession(t.db, old.token, plus(MIN))).toBeNull();
      expect(await resolveSession(t.db, fresh.token, plus(MIN))).not.toBeNull();
      await deleteSession(t.db, fresh.token);
      expect(await resolveSession(t.db, fresh.token, plus(MIN))).toBeNull();
      for (const junk of ["", "x", "' or 1=1 --", null])
        expect(await resolveSession(t.db, junk, T0)).toBeNull();
    },
  );

  it.skipIf(skip)("ends every session on password change and refuses disabled users", async () => {
    const a = await createSession(t.db, { userId, now: T0 });
    const b = await createSession(t.db, { userId, now: T0 });
    await setUserPassword(t.db, userId, "second-password");
    expect(await resolveSession(t.db, a.token, plus(MIN))).toBeNull();
    expect(await resolveSession(t.db, b.token, plus(MIN))).toBeNull();
    expect(
      (await attemptLogin(t.db, { email: "ada@example.com", password: "first-password", now: T0 })).ok,
    ).toBe(false);
    expect(
      (await attemptLogin(t.db, { email: "ADA@example.com", password: "second-password", now: T0 })).ok,
    ).toBe(true);

    const c = await createSession(t.db, { userId, now: T0 });
    await t.db.update(users).set({ disabledAt: T0 }).where(eq(users.id, userId));
    expect(await resolveSession(t.db, c.token, plus(MIN))).toBeNull();
    expect(
      (await attemptLogin(t.db, { email: "ada@example.com", password: "second-password", now: T0 })).ok,
    ).toBe(false);
    await t.db.update(users).set({ disabledAt: null }).where(eq(users.id, userId));
    expect(await deleteUserSessions(t.db, userId)).toBe(1);
  });

  it.skipIf(skip)(
    "backs off after five failures: locked 30 s, then 60 s, and a success resets the count",
    async () => {
      const email = "locky@example.com";
      await createUser(t.db, { email, role: "member", password: "right-password" });
      const attempt = (password: string, at: Date) => attemptLogin(t.db, { email, password, now: at });
      for (let i = 0; i < 4; i++)
        expect(await attempt("wrong-password", T0)).toEqual({ ok: false, reason: "invalid" });
      expect((await attempt("right-password", T0)).ok).toBe(true); // four failures: not locked, and now reset
      for (let i = 0; i < 5; i++) await attempt("wrong-password", T0);
      const [locked] = await t.db.select().from(users).where(eq(users.email, email));
      expect(locked?.failedLogins).toBe(5);
      expect(locked?.lockedUntil).toEqual(plus(30_000));
      // Even the right password is refused while locked, and that does not extend the lock.
      expect(await attempt("right-password", plus(29_000))).toEqual({ ok: false, reason: "locked" });
      const [still] = await t.db.select().from(users).where(eq(users.email, email));
      expect(still?.lockedUntil).toEqual(plus(30_000));
      // After the lock, one more failure doubles it.
      expect(await attempt("wrong-password", plus(31_000))).toEqual({ ok: false, reason: "invalid" });
      const [doubled] = await t.db.select().from(users).where(eq(users.email, email));
      expect(doubled?.lockedUntil).toEqual(plus(31_000 + 60_000));
      expect((await attempt("right-password", plus(92_000))).ok).toBe(true);
      const [reset] = await t.db.select().from(users).where(eq(users.email, email));
      expect([reset?.failedLogins, reset?.lockedUntil]).toEqual([0, null]);
      expect(await attempt("x", T0)).toEqual({ ok: false, reason: "invalid" });
      expect(
        await attemptLogin(t.db, { email: "nobody@example.com", password: "whatever12", now: T0 }),
      ).toEqual({
        ok: false,
        reason: "invalid",
      });
    },
  );

  it.skipIf(skip)("lets demo accounts sign in only while every product is demo data", async () => {
    const login = () =>
      attemptLogin(t.db, { email: "admin@demo.northstar", password: DEMO_PASSWORD, now: T0 });
    expect(await isDemoInUse(t.db)).toBe(false); // no products at all
    const ids: number[] = [];
    for (const slug of ["atlas", "pulse", "forge"]) {
      ids.push((await createProduct(t.db, { slug, name: slug, timezone: "UTC", weekStart: "monday" })).id);
    }
    await ensureDemoAccounts(t.db);
    await ensureDemoAccounts(t.db); // idempotent
    expect(await isDemoInUse(t.db)).toBe(false); // demo slugs, but no demo load recorded
    for (const productId of ids)
      await t.db.insert(importRuns).values({ productId, kind: "demo", format: "demo" });
    expect(await isDemoInUse(t.db)).toBe(true);
    expect((await login()).ok).toBe(true);
    expect(
      (await attemptLogin(t.db, { email: "pm@demo.northstar", password: DEMO_PASSWORD, now: T0 })).ok,
    ).toBe(true);

    await createProduct(t.db, { slug: "real", name: "Real", timezone: "UTC", weekStart: "monday" });
    expect(await isDemoInUse(t.db)).toBe(false);
    expect(await login()).toEqual({ ok: false, reason: "invalid" });
  });
});
