import type { Db } from "../../../db/client";
import type { Product } from "../../../db/schema/products";
import { findProductForViewer, getViewer, type Viewer, verifyActionOrigin } from "../../../lib/access";
import { getAppDb } from "../../../lib/db";
import { type FormState, failed } from "./form-state";

export type Guarded<T> = ({ ok: true } & T) | { ok: false; state: FormState };

const REFUSED = "This request was refused (it did not come from this site). Reload the page and try again.";

/** Origin check and a signed-in viewer: the start of every settings and import action. */
export async function guardViewer(): Promise<Guarded<{ db: Db; viewer: Viewer }>> {
  if (!(await verifyActionOrigin()).ok) return { ok: false, state: failed(REFUSED) };
  const viewer = await getViewer();
  if (!viewer) return { ok: false, state: failed("Your session has ended: sign in again.") };
  return { ok: true, db: await getAppDb(), viewer };
}

/**
 * Origin check, then the product named by the form's `product` field, which
 * the viewer must be allowed to configure. Unknown and not-yours read the
 * same, so an action never confirms that a product exists.
 */
export async function guardProductAction(
  form: FormData,
): Promise<Guarded<{ db: Db; viewer: Viewer; product: Product }>> {
  const base = await guardViewer();
  if (!base.ok) return base;
  const slug = form.get("product");
  const product =
    typeof slug === "string" ? await findProductForViewer(base.db, base.viewer, slug, "configure") : null;
  if (!product) return { ok: false, state: failed("No such product, or you may not configure it.") };
  return { ...base, product };
}

/** Origin check and an admin viewer: users, memberships and new products. */
export async function guardAdminAction(): Promise<Guarded<{ db: Db; viewer: Viewer }>> {
  const base = await guardViewer();
  if (!base.ok) return base;
  if (base.viewer.role !== "admin") return { ok: false, state: failed("Only an admin may do this.") };
  return base;
}
