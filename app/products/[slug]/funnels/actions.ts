"use server";

import { redirect } from "next/navigation";
import type { FunnelDefinition } from "../../../../db/schema/products";
import { requireProduct, requireViewer, verifyActionOrigin } from "../../../../lib/access";
import { getAppDb } from "../../../../lib/db";
import { funnelDefinitionSchema, saveFunnel } from "../../../../lib/queries/saved-funnels";
import { funnelToQuery } from "../../../../lib/ui/funnel-params";

/**
 * Save the funnel on screen under a name. Same-origin only; the viewer must be
 * allowed to configure the product (lead PM of it, or admin); the definition
 * is validated again here, whatever the form sent.
 */
export async function saveFunnelAction(formData: FormData): Promise<void> {
  const slug = String(formData.get("slug") ?? "");
  const base = `/products/${encodeURIComponent(slug)}/funnels`;
  if (!(await verifyActionOrigin()).ok) redirect(`${base}?error=origin`);
  const viewer = await requireViewer(base);
  const db = await getAppDb();
  const product = await requireProduct(db, viewer, slug, "configure");
  let definition: FunnelDefinition;
  try {
    definition = funnelDefinitionSchema.parse(
      JSON.parse(String(formData.get("definition") ?? "{}")),
    ) as FunnelDefinition;
  } catch {
    redirect(`${base}?error=definition`);
  }
  const name = String(formData.get("name") ?? "").trim();
  if (!name || name.length > 200) redirect(`${base}${funnelToQuery(definition)}&error=name`);
  const saved = await saveFunnel(db, { productId: product.id, name, definition });
  redirect(`${base}${funnelToQuery(saved.definition)}&saved=${saved.id}`);
}
