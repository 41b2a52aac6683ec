import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Product, products } from "../../db/schema/products";

export async function getProductById(db: Db, id: number): Promise<Product | null> {
  const [row] = await db.select().from(products).where(eq(products.id, id));
  return row ?? null;
}
