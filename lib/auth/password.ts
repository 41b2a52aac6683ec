import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB and ~50-100 ms per hash on one
 * core), the interactive-login setting recommended for scrypt. The parameters
 * are stored with each hash, so raising them later only affects new hashes.
 */
const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** Shortest password accepted anywhere (CLI, future settings pages). */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest password hashed: a cap keeps a huge body from costing a long key derivation. */
export const MAX_PASSWORD_LENGTH = 1024;

function deriveKey(password: string, salt: Buffer, log2n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** log2n, r, p, maxmem: 256 * 2 ** log2n * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Why a password is refused, or null when it is acceptable. */
export function checkPasswordPolicy(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `the password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

/** `scrypt$<log2 N>$<r>$<p>$<salt base64>$<key base64>`, with a fresh random salt per hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await deriveKey(password, salt, LOG2_N, R, P);
  return ["scrypt", LOG2_N, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

/**
 * True when `password` matches `stored`. Compares in constant time; a malformed
 * hash or out-of-range parameters never match (and never throw).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (typeof password !== "string" || password.length > MAX_PASSWORD_LENGTH) return false;
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [log2n, r, p] = parts.slice(1, 4).map(Number);
  if (log2n === undefined || r === undefined || p === undefined) return false;
  if (!(log2n >= 10 && log2n <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const expected = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length < 8 || expected.length !== KEY_LENGTH) return false;
  const actual = await deriveKey(password, salt, log2n, r, p);
  return timingSafeEqual(actual, expected);
}

/** A hash of a random password: verifying against it costs what a real check costs. */
let dummyHash: Promise<string> | null = null;

/**
 * Spend the time of one password check, so "no such user" answers as slowly
 * as "wrong password" and response times do not reveal which e-mails exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await dummyHash);
}
