import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { themes } from "../../db/schema/products";

export type Theme = typeof themes.$inferSelect;

/** A feedback theme: comments and mentions containing one of its keywords are tagged with its name. */
export const themeInputSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(100),
  keywords: z
    .array(z.string().trim().min(1).max(100))
    .min(1, "a theme needs at least one keyword")
    .max(100, "at most 100 keywords"),
});

export async function listThemes(db: Db, productId: number): Promise<Theme[]> {
  return db.select().from(themes).where(eq(themes.productId, productId)).orderBy(asc(themes.name));
}

/** Add a theme, or replace the keywords of the one with the same name. */
export async function saveTheme(
  db: Db,
  params: { productId: number } & z.input<typeof themeInputSchema>,
): Promise<Theme> {
  const input = themeInputSchema.parse({ name: params.name, keywords: params.keywords });
  const [row] = await db
    .insert(themes)
    .values({ productId: params.productId, ...input })
    .onConflictDoUpdate({ target: [themes.productId, themes.name], set: { keywords: input.keywords } })
    .returning();
  if (!row) throw new Error("could not save the theme");
  return row;
}

export async function deleteTheme(db: Db, params: { productId: number; themeId: number }): Promise<boolean> {
  const rows = await db
    .delete(themes)
    .where(and(eq(themes.id, params.themeId), eq(themes.productId, params.productId)))
    .returning({ id: themes.id });
  return rows.length > 0;
}
