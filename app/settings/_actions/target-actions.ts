"use server";

import { z } from "zod";
import { deleteTarget } from "../../../lib/queries/settings-targets";
import { setTarget, setTargetSchema } from "../../../lib/queries/targets";
import { guardProductAction } from "../_lib/action-guard";
import { type FormState, failed, invalid, succeeded } from "../_lib/form-state";
import { textField } from "../_lib/parse-fields";
import { refreshProductSettings } from "../_lib/revalidate";

const PERIODS = z.enum(["day", "week", "month"]);

/** Set or replace a KPI target; an empty direction takes the metric's default. */
export async function setTargetAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const raw = textField(form, "value");
  const parsed = setTargetSchema.safeParse({
    productId: guard.product.id,
    metric: textField(form, "metric") ?? "",
    value: raw === undefined || Number.isNaN(Number(raw)) ? Number.NaN : Number(raw),
    period: textField(form, "period") ?? "week",
    direction: textField(form, "direction"),
  });
  if (!parsed.success) return invalid(parsed.error);
  const row = await setTarget(guard.db, parsed.data);
  refreshProductSettings(guard.product.slug);
  return succeeded(
    `Target set: ${row.metric} per ${row.period} ${row.direction === "at_most" ? "≤" : "≥"} ${row.value}.`,
  );
}

export async function deleteTargetAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const period = PERIODS.safeParse(form.get("period"));
  const metric = textField(form, "metric");
  if (!period.success || !metric) return failed("That target no longer exists.");
  if (!(await deleteTarget(guard.db, { productId: guard.product.id, metric, period: period.data })))
    return failed("That target no longer exists.");
  refreshProductSettings(guard.product.slug);
  return succeeded("Removed.");
}
