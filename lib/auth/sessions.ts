import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sessions, type UserRole, users } from "../../db/schema/auth";
import { generateSessionToken, hashSessionToken, isWellFormedSessionToken } from "./tokens";

/** A session ends after 14 days without a request... */
export const SESSION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;
/** ...and 30 days after sign-in at the latest, however active. The cookie lives as long. */
export const SESSION_MAX_MS = 30 * 24 * 60 * 60 * 1000;
/** lastSeenAt/expiresAt are written at most once a minute per session, not on every request. */
export const SESSION_TOUCH_MS = 60 * 1000;

export interface SessionUser {
  id: number;
  email: string;
  name: string | null;
  role: UserRole;
}

export interface CreatedSession {
  /** Goes into the cookie; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

function idleExpiry(now: Date, createdAt: Date): Date {
  return new Date(Math.min(now.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_MAX_MS));
}

/**
 * Start a session with a new random token. `replacing` is the token the browser
 * presented, if any: it is deleted, so signing in always rotates the token and
 * a token planted before sign-in (session fixation) never becomes authenticated.
 */
export async function createSession(
  db: Db,
  params: { userId: number; now: Date; userAgent?: string | null; replacing?: string | null },
): Promise<CreatedSession> {
  if (params.replacing) await deleteSession(db, params.replacing);
  const token = generateSessionToken();
  const expiresAt = idleExpiry(params.now, params.now);
  await db.insert(sessions).values({
    tokenHash: hashSessionToken(token),
    userId: params.userId,
    createdAt: params.now,
    lastSeenAt: params.now,
    expiresAt,
    userAgent: params.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt };
}

/**
 * The signed-in user for a cookie token, or null when the token is unknown,
 * expired, or its user is disabled. Slides the idle expiry forward, writing
 * at most once a minute.
 */
export async function resolveSession(db: Db, token: unknown, now: Date): Promise<SessionUser | null> {
  if (!isWellFormedSessionToken(token)) return null;
  const tokenHash = hashSessionToken(token);
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  if (!row || row.disabledAt) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: idleExpiry(now, row.createdAt) })
      .where(eq(sessions.tokenHash, tokenHash));
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** Sign out: the token stops working at once. */
export async function deleteSession(db: Db, token: unknown): Promise<void> {
  if (!isWellFormedSessionToken(token)) return;
  await db.delete(sessions).where(eq(sessions.tokenHash, hashSessionToken(token)));
}

/** End every session of a user (password change, role change, disabling). Returns how many. */
export async function deleteUserSessions(db: Db, userId: number): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(eq(sessions.userId, userId))
    .returning({ h: sessions.tokenHash });
  return rows.length;
}

/** Housekeeping: drop expired sessions. Returns how many. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, now))
    .returning({ h: sessions.tokenHash });
  return rows.length;
}
