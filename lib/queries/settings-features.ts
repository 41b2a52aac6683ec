import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { type Feature, features } from "../../db/schema/products";

const filterSchema = z
  .object({
    property: z.string().trim().min(1, "a filter needs a property").max(200),
    op: z.enum(["eq", "neq", "contains", "exists"]),
    value: z.union([z.string().max(500), z.number(), z.boolean()]).optional(),
  })
  .refine((f) => f.op === "exists" || f.value !== undefined, { error: "a filter needs a value" });

const words = (what: string, max: number) =>
  z
    .array(z.string().trim().min(1).max(200, `${what} are at most 200 characters`))
    .max(max, `at most ${max} ${what}`);

/** A feature as configured: its key is stable (comments and mentions are linked by it). */
export const featureInputSchema = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "key must be lowercase letters, digits, - or _ (max 63)"),
  name: z.string().trim().min(1, "name is required").max(200),
  description: z.string().trim().max(2000).optional(),
  eventNames: words("event names", 50).min(1, "a feature needs at least one event name"),
  filters: z.array(filterSchema).max(20, "at most 20 filters"),
  keywords: words("keywords", 100),
});
export type FeatureInput = z.input<typeof featureInputSchema>;

export async function listFeatures(db: Db, productId: number): Promise<Feature[]> {
  return db.select().from(features).where(eq(features.productId, productId)).orderBy(asc(features.name));
}

/** Add a feature, or replace the one with the same key in this product. */
export async function saveFeature(db: Db, params: { productId: number } & FeatureInput): Promise<Feature> {
  const { productId, ...rest } = params;
  const input = featureInputSchema.parse(rest);
  const values = { ...input, description: input.description || null };
  const [row] = await db
    .insert(features)
    .values({ productId, ...values })
    .onConflictDoUpdate({ target: [features.productId, features.key], set: values })
    .returning();
  if (!row) throw new Error("could not save the feature");
  return row;
}

/** Remove a product's feature; false when it has no such feature. */
export async function deleteFeature(
  db: Db,
  params: { productId: number; featureId: number },
): Promise<boolean> {
  const rows = await db
    .delete(features)
    .where(and(eq(features.id, params.featureId), eq(features.productId, params.productId)))
    .returning({ id: features.id });
  return rows.length > 0;
}
