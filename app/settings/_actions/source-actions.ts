"use server";

import {
  createSource,
  createSourceSchema,
  deleteSource,
  SourceExistsError,
} from "../../../lib/queries/sources";
import { guardProductAction } from "../_lib/action-guard";
import { type FormState, failed, invalid, succeeded } from "../_lib/form-state";
import { idField, textField } from "../_lib/parse-fields";
import { refreshProductSettings } from "../_lib/revalidate";

/** Add a pull source; `npm run northstar -- sync` (or its schedule) fetches it. */
export async function addSourceAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const parsed = createSourceSchema.safeParse({
    productId: guard.product.id,
    kind: textField(form, "kind") ?? "",
    query: textField(form, "query"),
    url: textField(form, "url"),
    tokenEnv: textField(form, "tokenEnv"),
    baseUrl: textField(form, "baseUrl"),
    country: textField(form, "country"),
  });
  if (!parsed.success) return invalid(parsed.error);
  try {
    const source = await createSource(guard.db, parsed.data);
    refreshProductSettings(guard.product.slug);
    return succeeded(`Added ${source.kind} source #${source.id}.`);
  } catch (err) {
    if (err instanceof SourceExistsError) return failed(err.message);
    throw err;
  }
}

/** Remove a source; its past runs stay on /imports. */
export async function removeSourceAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const sourceId = idField(form, "id");
  if (sourceId === null || !(await deleteSource(guard.db, { productId: guard.product.id, sourceId })))
    return failed("That source no longer exists.");
  refreshProductSettings(guard.product.slug);
  return succeeded("Removed.");
}
