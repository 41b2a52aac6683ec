"use server";

import { createProduct, createProductSchema, ProductExistsError } from "../../../lib/queries/products";
import { updateProductSchema, updateProductSettings } from "../../../lib/queries/settings-products";
import { guardAdminAction, guardProductAction } from "../_lib/action-guard";
import { type FormState, failed, invalid, succeeded } from "../_lib/form-state";
import { textField } from "../_lib/parse-fields";
import { refreshProductSettings } from "../_lib/revalidate";

/** Add a product (admins: a new product is an installation change). */
export async function createProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardAdminAction();
  if (!guard.ok) return guard.state;
  const parsed = createProductSchema.safeParse({
    slug: textField(form, "slug") ?? "",
    name: textField(form, "name") ?? "",
    timezone: textField(form, "timezone") ?? "UTC",
    weekStart: textField(form, "weekStart") ?? "monday",
  });
  if (!parsed.success) return invalid(parsed.error);
  try {
    const product = await createProduct(guard.db, parsed.data);
    refreshProductSettings(product.slug);
    return succeeded(`Added ${product.name} (${product.slug}).`);
  } catch (err) {
    if (err instanceof ProductExistsError) return failed(err.message, { slug: ["this slug is taken"] });
    throw err;
  }
}

/** Rename a product or change its time zone and week start (lead PM of the product, or admin). */
export async function updateProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const parsed = updateProductSchema.safeParse({
    name: textField(form, "name") ?? "",
    timezone: textField(form, "timezone") ?? "",
    weekStart: textField(form, "weekStart") ?? "",
  });
  if (!parsed.success) return invalid(parsed.error);
  await updateProductSettings(guard.db, { productId: guard.product.id, ...parsed.data });
  refreshProductSettings(guard.product.slug);
  return succeeded("Saved.");
}
