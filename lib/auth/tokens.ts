import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url: the session cookie's value. */
export function generateSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The database keeps only the SHA-256 of a session token, so a leaked sessions
 * table (a backup, a log of a query) cannot be replayed as cookies. Tokens are
 * 256-bit random, so a fast hash is enough.
 */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Shape check before touching the database: 32 bytes in base64url is 43 characters. */
export function isWellFormedSessionToken(token: unknown): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}
