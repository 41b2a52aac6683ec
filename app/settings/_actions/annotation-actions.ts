"use server";

import { TZDate } from "@date-fns/tz";
import {
  annotationInputSchema,
  createAnnotation,
  deleteAnnotation,
} from "../../../lib/queries/settings-annotations";
import { guardProductAction } from "../_lib/action-guard";
import { type FormState, failed, invalid, succeeded } from "../_lib/form-state";
import { idField, textField } from "../_lib/parse-fields";
import { refreshProductSettings } from "../_lib/revalidate";

/** `YYYY-MM-DDTHH:mm` (a datetime-local input) read as wall time in the product's zone. */
function parseLocalDateTime(value: string | undefined, zone: string): Date | undefined {
  const m = value?.match(/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/);
  if (!m) return undefined;
  const n = (i: number) => Number(m[i] ?? "0");
  const date = new TZDate(n(1), n(2) - 1, n(3), n(4), n(5), zone);
  return Number.isNaN(date.getTime()) ? undefined : new Date(date.getTime());
}

/** Add a release marker (or incident, campaign, note) to the product's charts. */
export async function addAnnotationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const parsed = annotationInputSchema.safeParse({
    occurredAt: parseLocalDateTime(textField(form, "occurredAt"), guard.product.timezone),
    kind: textField(form, "kind") ?? "release",
    title: textField(form, "title") ?? "",
    description: textField(form, "description"),
  });
  if (!parsed.success) return invalid(parsed.error);
  await createAnnotation(guard.db, { productId: guard.product.id, ...parsed.data });
  refreshProductSettings(guard.product.slug);
  return succeeded(`Added "${parsed.data.title}".`);
}

export async function deleteAnnotationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const annotationId = idField(form, "id");
  if (
    annotationId === null ||
    !(await deleteAnnotation(guard.db, { productId: guard.product.id, annotationId }))
  )
    return failed("That annotation no longer exists.");
  refreshProductSettings(guard.product.slug);
  return succeeded("Deleted.");
}
