import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema/auth";
import { isDemoAccountEmail, isDemoInUse } from "./demo-accounts";
import { burnPasswordCheck, MAX_PASSWORD_LENGTH, verifyPassword } from "./password";
import type { SessionUser } from "./sessions";
import { normalizeEmail } from "./users";

/** Failures allowed before the account backs off. */
export const LOCKOUT_THRESHOLD = 5;
/** First lockout; each further failure doubles it... */
export const LOCKOUT_BASE_MS = 30_000;
/** ...up to one hour. */
export const LOCKOUT_MAX_MS = 60 * 60 * 1000;

/**
 * How long an account is locked after its `failedLogins`-th consecutive
 * failure: nothing for the first four, then 30 s, 1 min, 2 min, ... capped at 1 h.
 */
export function lockoutDelayMs(failedLogins: number): number {
  if (failedLogins < LOCKOUT_THRESHOLD) return 0;
  const doublings = Math.min(failedLogins - LOCKOUT_THRESHOLD, 20);
  return Math.min(LOCKOUT_BASE_MS * 2 ** doublings, LOCKOUT_MAX_MS);
}

export type LoginResult = { ok: true; user: SessionUser } | { ok: false; reason: "invalid" | "locked" };

/**
 * Check an e-mail and password. Every failure costs one password derivation,
 * whether the account exists or not, and the caller shows one generic message
 * for all of them, so neither timing nor wording reveals which e-mails exist.
 * A locked account is refused without checking the password and without
 * extending the lock. Demo accounts only sign in while demo data is in use.
 */
export async function attemptLogin(
  db: Db,
  params: { email: string; password: string; now: Date },
): Promise<LoginResult> {
  const email = normalizeEmail(String(params.email ?? "")).slice(0, 254);
  const password = String(params.password ?? "").slice(0, MAX_PASSWORD_LENGTH + 1);
  const [user] = email ? await db.select().from(users).where(eq(users.email, email)) : [];
  const usable = user && !user.disabledAt && (!isDemoAccountEmail(user.email) || (await isDemoInUse(db)));
  if (!user || !usable) {
    await burnPasswordCheck(password);
    return { ok: false, reason: "invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > params.now) {
    await burnPasswordCheck(password);
    return { ok: false, reason: "locked" };
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    // Counted in SQL so two concurrent failures both count.
    const [row] = await db
      .update(users)
      .set({ failedLogins: sql`${users.failedLogins} + 1` })
      .where(eq(users.id, user.id))
      .returning({ failedLogins: users.failedLogins });
    const delay = lockoutDelayMs(row?.failedLogins ?? 0);
    if (delay > 0) {
      await db
        .update(users)
        .set({ lockedUntil: new Date(params.now.getTime() + delay) })
        .where(eq(users.id, user.id));
    }
    return { ok: false, reason: "invalid" };
  }
  if (user.failedLogins > 0 || user.lockedUntil) {
    await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
  }
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
