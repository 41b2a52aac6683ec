import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { memberships } from "../../db/schema/auth";
import { type Product, products } from "../../db/schema/products";
import {
  isPlausibleSlug,
  isProductActionAllowed,
  type ProductAction,
  seesAllProducts,
  type Viewer,
} from "./roles";

/** The products the viewer may read, by name. Admin and exec: all; others: their memberships. */
export async function listVisibleProducts(db: Db, viewer: Viewer): Promise<Product[]> {
  if (seesAllProducts(viewer.role)) return db.select().from(products).orderBy(asc(products.name));
  const rows = await db
    .select({ product: products })
    .from(products)
    .innerJoin(memberships, and(eq(memberships.productId, products.id), eq(memberships.userId, viewer.id)))
    .orderBy(asc(products.name));
  return rows.map((r) => r.product);
}

/**
 * The product named by `slug` when the viewer may perform `action` on it, else
 * null, whether it does not exist or is not theirs: callers answer both with
 * the same 404 so a product's existence is never confirmed.
 */
export async function findProductForViewer(
  db: Db,
  viewer: Viewer,
  slug: string,
  action: ProductAction,
): Promise<Product | null> {
  if (!isPlausibleSlug(slug)) return null;
  const [row] = await db
    .select({ product: products, membership: memberships.role })
    .from(products)
    .leftJoin(memberships, and(eq(memberships.productId, products.id), eq(memberships.userId, viewer.id)))
    .where(eq(products.slug, slug));
  if (!row) return null;
  return isProductActionAllowed(viewer.role, row.membership ?? null, action) ? row.product : null;
}
