import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../db/client";
import { type Product, products } from "../../db/schema/products";
import { createProductSchema } from "./products";

/** What a product's settings page may change: the slug stays, since URLs and keys name it. */
export const updateProductSchema = createProductSchema.pick({ name: true, timezone: true, weekStart: true });

/**
 * Rename a product or change how it buckets time. Changing the zone or week
 * start re-buckets every metric on the next read; nothing stored changes.
 */
export async function updateProductSettings(
  db: Db,
  params: { productId: number } & z.input<typeof updateProductSchema>,
): Promise<Product | null> {
  const input = updateProductSchema.parse(params);
  const [row] = await db.update(products).set(input).where(eq(products.id, params.productId)).returning();
  return row ?? null;
}
