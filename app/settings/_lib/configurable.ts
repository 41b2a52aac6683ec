import type { Db } from "../../../db/client";
import type { Product } from "../../../db/schema/products";
import { findProductForViewer, listVisibleProducts, type Viewer } from "../../../lib/access";

/** The products this viewer may configure, by name (asked of the access layer, product by product). */
export async function listConfigurableProducts(db: Db, viewer: Viewer): Promise<Product[]> {
  const visible = await listVisibleProducts(db, viewer);
  const allowed = await Promise.all(
    visible.map((p) => findProductForViewer(db, viewer, p.slug, "configure")),
  );
  return allowed.filter((p): p is Product => p !== null);
}
