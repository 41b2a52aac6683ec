import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import { type ApiKeyKind, verifyApiKey } from "../auth/api-keys";
import { getProductById } from "./product-by-id";
import { isPlausibleSlug } from "./roles";

const json = (status: number, error: string) => Response.json({ error }, { status });

/**
 * The read key a request carries: `Authorization: Bearer <key>` or `X-Api-Key`.
 * (Ingest routes take write keys in more places; see ingest/http/write-key.ts.)
 */
export function extractApiKey(request: Request): string | null {
  const auth = request.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim() || null;
  const header = request.headers.get("x-api-key");
  return header?.trim() || null;
}

function keyKindOf(key: string): ApiKeyKind | null {
  if (key.startsWith("ns_w_")) return "write";
  if (key.startsWith("ns_r_")) return "read";
  return null;
}

export type ApiAccess<T> = { ok: true; value: T } | { ok: false; response: Response };

/**
 * Read API: a live read key of the product named in the URL. No key or an
 * unknown/revoked key: 401. A write key: 403 (write keys ship in web pages and
 * must never read). A read key of another product: 404, as if the product did
 * not exist.
 */
export async function authorizeReadApi(db: Db, request: Request, slug: string): Promise<ApiAccess<Product>> {
  const key = extractApiKey(request);
  if (!key) return { ok: false, response: json(401, "missing API key") };
  if (keyKindOf(key) === "write") return { ok: false, response: json(403, "write keys cannot read") };
  const verified = await verifyApiKey(db, key, "read");
  if (!verified) return { ok: false, response: json(401, "invalid API key") };
  if (!isPlausibleSlug(slug)) return { ok: false, response: json(404, "not found") };
  const product = await getProductById(db, verified.productId);
  if (!product || product.slug !== slug) return { ok: false, response: json(404, "not found") };
  return { ok: true, value: product };
}
