import { connection } from "next/server";
import { Suspense } from "react";
import { requireProduct, requireViewer } from "../../../lib/access";
import { getAppDb } from "../../../lib/db";
import { ProductTabs } from "../../_components/product-tabs";

/** Every product page: the product's name, zone and the tabs between its dashboards. */
export default async function ProductLayout({ children, params }: LayoutProps<"/products/[slug]">) {
  await connection();
  const { slug } = await params;
  // Signed out: redirect here, before the pages' loading boundaries start streaming, so the answer is a
  // real 307 (a layout does not know the sub-page, so the sign-in comes back to the product's board).
  const viewer = await requireViewer(`/products/${slug}`);
  // 404 both for a product that does not exist and for one this viewer may not read.
  const product = await requireProduct(await getAppDb(), viewer, slug, "read");
  return (
    <>
      <div className="product-head">
        <h1>{product.name}</h1>
        <span className="muted">
          {product.timezone} · weeks start on {product.weekStart}
        </span>
      </div>
      <Suspense fallback={<nav className="tabs" aria-label="Product pages" />}>
        <ProductTabs slug={product.slug} />
      </Suspense>
      {children}
    </>
  );
}
