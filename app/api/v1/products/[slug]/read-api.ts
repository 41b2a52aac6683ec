import { z } from "zod";
import type { Db } from "../../../../../db/client";
import type { Product } from "../../../../../db/schema/products";
import { verifyApiKey } from "../../../../../lib/auth/api-keys";
import { getAppDb } from "../../../../../lib/db";
import { PeriodError, type ResolvedPeriod, resolvePeriod } from "../../../../../lib/metrics/period-resolve";
import { getProductBySlug } from "../../../../../lib/queries/products";

const error = (status: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ error: message }, { status, headers: { "cache-control": "no-store", ...headers } });

/** The key a request carries: `Authorization: Bearer <key>`, HTTP Basic user name, or `X-Api-Key`. */
export function readKeyOf(request: Request): string | null {
  const auth = request.headers.get("authorization")?.trim() ?? "";
  if (/^bearer /i.test(auth)) return auth.slice(7).trim() || null;
  if (/^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
    return decoded.split(":")[0]?.trim() || null;
  }
  return request.headers.get("x-api-key")?.trim() || null;
}

/** Period query parameters: exactly one of day, week, month or from + to (inclusive local dates). */
export const periodQuery = z.object({
  day: z.string().optional(),
  week: z.string().optional(),
  month: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});

export function periodOf(q: z.infer<typeof periodQuery>, product: Product): ResolvedPeriod {
  return resolvePeriod(q, product.timezone, product.weekStart);
}

/**
 * One shape for every read route: a live read key (401 otherwise; write keys
 * never read), of the product in the URL (404 otherwise, as if it did not
 * exist), query parameters parsed by `schema` (400 with the reason), then
 * the lib call whose result is the JSON body.
 */
export async function serveRead<S extends z.ZodType>(
  request: Request,
  params: Promise<{ slug: string }>,
  schema: S,
  run: (db: Db, product: Product, query: z.infer<S>) => Promise<unknown>,
): Promise<Response> {
  const key = readKeyOf(request);
  const challenge = { "www-authenticate": 'Bearer realm="northstar"' };
  if (!key) return error(401, "missing API key: send Authorization: Bearer <read key>", challenge);
  const db = await getAppDb();
  const verified = await verifyApiKey(db, key, "read");
  if (!verified) return error(401, "invalid API key (a read key is required)", challenge);
  const { slug } = await params;
  const product = await getProductBySlug(db, slug);
  if (!product || product.id !== verified.productId) return error(404, "not found");
  const url = new URL(request.url);
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    return error(
      400,
      parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; "),
    );
  }
  try {
    const body = await run(db, product, parsed.data);
    return Response.json(body, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof PeriodError || err instanceof RangeError) return error(400, err.message);
    throw err;
  }
}
