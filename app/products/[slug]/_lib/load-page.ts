import { connection } from "next/server";
import type { Db } from "../../../../db/client";
import type { Product } from "../../../../db/schema/products";
import { requireProduct, requireViewer, type Viewer } from "../../../../lib/access";
import { now as clockNow } from "../../../../lib/clock";
import { getAppDb } from "../../../../lib/db";
import { type PagePeriod, readPagePeriod } from "../../../../lib/ui/period-params";
import type { SearchParams } from "../../../../lib/ui/search";

export interface ProductPageContext {
  db: Db;
  viewer: Viewer;
  product: Product;
  search: SearchParams;
  page: PagePeriod;
  now: Date;
  /** The page's own path, for links that change only some parameters. */
  pathname: string;
}

/**
 * What every product dashboard starts with: the signed-in viewer, the product
 * if they may read it (else the not-found page), and the period of the URL.
 */
export async function loadProductPage(
  params: Promise<{ slug: string }>,
  searchParams: Promise<SearchParams>,
  subpath = "",
): Promise<ProductPageContext> {
  await connection();
  const { slug } = await params;
  const search = await searchParams;
  const pathname = `/products/${slug}${subpath}`;
  const viewer = await requireViewer(pathname);
  const db = await getAppDb();
  const product = await requireProduct(db, viewer, slug, "read");
  const now = clockNow();
  return { db, viewer, product, search, page: readPagePeriod(search, product, now), now, pathname };
}
