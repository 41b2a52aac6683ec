"use server";

import { z } from "zod";
import { createApiKey, revokeApiKey } from "../../../lib/auth/api-keys";
import { guardProductAction } from "../_lib/action-guard";
import { type FormState, failed, invalid, succeeded } from "../_lib/form-state";
import { idField, textField } from "../_lib/parse-fields";
import { refreshProductSettings } from "../_lib/revalidate";

const keySchema = z.object({
  kind: z.enum(["write", "read"], { error: "choose write (ingest) or read (API)" }),
  name: z.string().trim().max(100, "at most 100 characters").optional(),
});

/**
 * Create a key and return it in this response only: it is never put in a URL,
 * a log or the database (which keeps its SHA-256).
 */
export async function createKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const parsed = keySchema.safeParse({ kind: textField(form, "kind") ?? "", name: textField(form, "name") });
  if (!parsed.success) return invalid(parsed.error);
  const created = await createApiKey(guard.db, {
    productId: guard.product.id,
    kind: parsed.data.kind,
    name: parsed.data.name ?? null,
  });
  refreshProductSettings(guard.product.slug);
  return succeeded(`Created ${created.kind} key ${created.prefix}…`, {
    label: `New ${created.kind} key for ${guard.product.name}`,
    value: created.key,
  });
}

/** Revoke with immediate effect. */
export async function revokeKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const id = idField(form, "id");
  if (id === null || !(await revokeApiKey(guard.db, { productId: guard.product.id, idOrPrefix: String(id) })))
    return failed("That key is already revoked or does not exist.");
  refreshProductSettings(guard.product.slug);
  return succeeded("Revoked.");
}
