import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { annotations } from "../../db/schema/products";

export type Annotation = typeof annotations.$inferSelect;
export const ANNOTATION_KINDS = ["release", "incident", "campaign", "note"] as const;

/** A marker drawn on trend charts: when, what kind, a title and an optional description. */
export const annotationInputSchema = z.object({
  occurredAt: z.date({ error: "a valid date and time is required" }),
  kind: z.enum(ANNOTATION_KINDS),
  title: z.string().trim().min(1, "title is required").max(200),
  description: z.string().trim().max(2000).optional(),
});

/** A product's annotations, newest first. */
export async function listAnnotations(db: Db, productId: number, limit = 200): Promise<Annotation[]> {
  return db
    .select()
    .from(annotations)
    .where(eq(annotations.productId, productId))
    .orderBy(desc(annotations.occurredAt), desc(annotations.id))
    .limit(limit);
}

export async function createAnnotation(
  db: Db,
  params: { productId: number } & z.input<typeof annotationInputSchema>,
): Promise<Annotation> {
  const { productId, ...rest } = params;
  const input = annotationInputSchema.parse(rest);
  const [row] = await db
    .insert(annotations)
    .values({ productId, ...input, description: input.description || null })
    .returning();
  if (!row) throw new Error("could not save the annotation");
  return row;
}

export async function deleteAnnotation(
  db: Db,
  params: { productId: number; annotationId: number },
): Promise<boolean> {
  const rows = await db
    .delete(annotations)
    .where(and(eq(annotations.id, params.annotationId), eq(annotations.productId, params.productId)))
    .returning({ id: annotations.id });
  return rows.length > 0;
}
