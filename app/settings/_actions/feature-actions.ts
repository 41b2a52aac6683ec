"use server";

import { reenrichProduct } from "../../../ingest/enrich";
import { deleteFeature, featureInputSchema, saveFeature } from "../../../lib/queries/settings-features";
import { guardProductAction } from "../_lib/action-guard";
import { type FormState, failed, invalid, succeeded } from "../_lib/form-state";
import { idField, listField, parseFilterLines, textField } from "../_lib/parse-fields";
import { refreshProductSettings } from "../_lib/revalidate";

/**
 * Add or replace (by key) a feature. Its keywords decide which comments and
 * mentions link to it, so the product's feedback is re-enriched afterwards.
 */
export async function saveFeatureAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const filters = parseFilterLines(String(form.get("filters") ?? ""));
  if ("error" in filters)
    return failed("Please correct the fields marked below.", { filters: [filters.error] });
  const parsed = featureInputSchema.safeParse({
    key: textField(form, "key") ?? "",
    name: textField(form, "name") ?? "",
    description: textField(form, "description"),
    eventNames: listField(form, "eventNames"),
    filters: filters.filters,
    keywords: listField(form, "keywords"),
  });
  if (!parsed.success) return invalid(parsed.error);
  const feature = await saveFeature(guard.db, { productId: guard.product.id, ...parsed.data });
  const counts = await reenrichProduct(guard.db, guard.product.id);
  refreshProductSettings(guard.product.slug);
  return succeeded(
    `Saved feature "${feature.name}"; re-linked ${counts.surveys + counts.mentions} comments and mentions.`,
  );
}

export async function deleteFeatureAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const featureId = idField(form, "id");
  if (featureId === null || !(await deleteFeature(guard.db, { productId: guard.product.id, featureId })))
    return failed("That feature no longer exists.");
  await reenrichProduct(guard.db, guard.product.id);
  refreshProductSettings(guard.product.slug);
  return succeeded("Deleted.");
}
