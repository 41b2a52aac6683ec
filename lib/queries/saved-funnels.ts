import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { type FunnelDefinition, savedFunnels } from "../../db/schema/products";

const filterSchema = z.object({
  property: z.string().min(1),
  op: z.enum(["eq", "neq", "contains", "exists"]),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

/** A funnel definition as stored: 2-10 steps, window 1 s to 90 days. */
export const funnelDefinitionSchema = z.object({
  steps: z
    .array(z.object({ event: z.string().min(1), filters: z.array(filterSchema).optional() }))
    .min(2, "a funnel has at least 2 steps")
    .max(10, "a funnel has at most 10 steps"),
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(90 * 86_400),
  mode: z.enum(["sequential", "strict", "any"]),
  exclusions: z.array(z.string().min(1)).optional(),
  breakdown: z.string().min(1).optional(),
});

export interface SavedFunnel {
  id: number;
  name: string;
  definition: FunnelDefinition;
}

/** Save a named funnel for a product (replacing one of the same name). */
export async function saveFunnel(
  db: Db,
  params: { productId: number; name: string; definition: FunnelDefinition },
): Promise<SavedFunnel> {
  const definition = funnelDefinitionSchema.parse(params.definition) as FunnelDefinition;
  const name = z.string().trim().min(1).max(200).parse(params.name);
  const [row] = await db
    .insert(savedFunnels)
    .values({ productId: params.productId, name, definition })
    .onConflictDoUpdate({ target: [savedFunnels.productId, savedFunnels.name], set: { definition } })
    .returning({ id: savedFunnels.id, name: savedFunnels.name, definition: savedFunnels.definition });
  if (!row) throw new Error("could not save the funnel");
  return row;
}

export async function listSavedFunnels(db: Db, productId: number): Promise<SavedFunnel[]> {
  return db
    .select({ id: savedFunnels.id, name: savedFunnels.name, definition: savedFunnels.definition })
    .from(savedFunnels)
    .where(eq(savedFunnels.productId, productId))
    .orderBy(asc(savedFunnels.name));
}

export async function getSavedFunnel(db: Db, productId: number, id: number): Promise<SavedFunnel | null> {
  const [row] = await db
    .select({ id: savedFunnels.id, name: savedFunnels.name, definition: savedFunnels.definition })
    .from(savedFunnels)
    .where(and(eq(savedFunnels.productId, productId), eq(savedFunnels.id, id)));
  return row ?? null;
}

/** Delete a product's saved funnel; false when it has no such funnel. */
export async function deleteSavedFunnel(db: Db, productId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(savedFunnels)
    .where(and(eq(savedFunnels.productId, productId), eq(savedFunnels.id, id)))
    .returning({ id: savedFunnels.id });
  return rows.length > 0;
}
