import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { type Product, products } from "../../db/schema/products";
import { isValidTimeZone } from "../metrics/periods";

export const createProductSchema = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "slug must be lowercase letters, digits and dashes (max 63)"),
  name: z.string().trim().min(1, "name is required").max(200),
  timezone: z
    .string()
    .refine(isValidTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}"` }),
  weekStart: z.enum(["monday", "sunday"]),
});
export type CreateProductParams = z.input<typeof createProductSchema>;

export class ProductExistsError extends Error {}

export async function createProduct(db: Db, params: CreateProductParams): Promise<Product> {
  const input = createProductSchema.parse(params);
  const [row] = await db.insert(products).values(input).onConflictDoNothing().returning();
  if (!row) throw new ProductExistsError(`product "${input.slug}" already exists`);
  return row;
}

export async function listProducts(db: Db): Promise<Product[]> {
  return db.select().from(products).orderBy(asc(products.name));
}

export async function getProductBySlug(db: Db, slug: string): Promise<Product | null> {
  const [row] = await db.select().from(products).where(eq(products.slug, slug));
  return row ?? null;
}
