"use server";

import { reenrichProduct } from "../../../ingest/enrich";
import { deleteTheme, saveTheme, themeInputSchema } from "../../../lib/queries/settings-themes";
import { guardProductAction } from "../_lib/action-guard";
import { type FormState, failed, invalid, succeeded } from "../_lib/form-state";
import { idField, listField, textField } from "../_lib/parse-fields";
import { refreshProductSettings } from "../_lib/revalidate";

/** Add a theme or replace its keywords, then re-tag the product's comments and mentions. */
export async function saveThemeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const parsed = themeInputSchema.safeParse({
    name: textField(form, "name") ?? "",
    keywords: listField(form, "keywords"),
  });
  if (!parsed.success) return invalid(parsed.error);
  const theme = await saveTheme(guard.db, { productId: guard.product.id, ...parsed.data });
  const counts = await reenrichProduct(guard.db, guard.product.id);
  refreshProductSettings(guard.product.slug);
  return succeeded(
    `Saved theme "${theme.name}"; re-tagged ${counts.surveys + counts.mentions} comments and mentions.`,
  );
}

export async function deleteThemeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const themeId = idField(form, "id");
  if (themeId === null || !(await deleteTheme(guard.db, { productId: guard.product.id, themeId })))
    return failed("That theme no longer exists.");
  await reenrichProduct(guard.db, guard.product.id);
  refreshProductSettings(guard.product.slug);
  return succeeded("Deleted.");
}
