import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { apiKeys } from "../../db/schema/auth";

export type ApiKeyKind = "write" | "read";

const PREFIX: Record<ApiKeyKind, string> = { write: "ns_w_", read: "ns_r_" };
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Keys carry 190 bits of randomness, so a plain SHA-256 is the right hash:
 * a slow password hash would add nothing against guessing and would cost a
 * key derivation on every ingest request.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export interface CreatedApiKey {
  id: number;
  productId: number;
  kind: ApiKeyKind;
  name: string | null;
  prefix: string;
  /** The key itself: shown once, never stored. */
  key: string;
}

export async function createApiKey(
  db: Db,
  params: { productId: number; kind: ApiKeyKind; name?: string | null },
): Promise<CreatedApiKey> {
  const key = `${PREFIX[params.kind]}${randomToken(32)}`;
  const prefix = key.slice(0, 12);
  const [row] = await db
    .insert(apiKeys)
    .values({
      productId: params.productId,
      kind: params.kind,
      name: params.name ?? null,
      prefix,
      keyHash: hashApiKey(key),
    })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error("could not store the API key");
  return {
    id: row.id,
    productId: params.productId,
    kind: params.kind,
    name: params.name ?? null,
    prefix,
    key,
  };
}

export interface VerifiedApiKey {
  keyId: number;
  productId: number;
  kind: ApiKeyKind;
}

/**
 * The product a key may act on, or null when the key is unknown, revoked or of
 * the other kind (a write key never reads, a read key never writes).
 */
export async function verifyApiKey(db: Db, key: string, kind: ApiKeyKind): Promise<VerifiedApiKey | null> {
  if (typeof key !== "string" || key.length < 10 || key.length > 200) return null;
  const hash = hashApiKey(key);
  const [row] = await db
    .select({ id: apiKeys.id, productId: apiKeys.productId, kind: apiKeys.kind, keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)));
  if (!row || row.kind !== kind) return null;
  if (!timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return null;
  return { keyId: row.id, productId: row.productId, kind: row.kind };
}

export async function listApiKeys(db: Db, productId: number) {
  return db
    .select({
      id: apiKeys.id,
      kind: apiKeys.kind,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.productId, productId))
    .orderBy(desc(apiKeys.createdAt));
}

/** Revoke with immediate effect; returns false when the product has no such live key. */
export async function revokeApiKey(
  db: Db,
  params: { productId: number; idOrPrefix: string },
): Promise<boolean> {
  const byId = /^\d+$/.test(params.idOrPrefix);
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(apiKeys.productId, params.productId),
        isNull(apiKeys.revokedAt),
        byId ? eq(apiKeys.id, Number(params.idOrPrefix)) : eq(apiKeys.prefix, params.idOrPrefix),
      ),
    )
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
