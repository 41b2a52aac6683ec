import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import { getProductBySlug } from "../../lib/queries/products";
import { CliError } from "./output";

/** The product named by --product, or a one-line error naming it. */
export async function requireProduct(db: Db, slug: string | undefined): Promise<Product> {
  if (!slug) throw new CliError("--product <slug> is required");
  const product = await getProductBySlug(db, slug);
  if (!product) throw new CliError(`no product "${slug}" (see: npm run northstar -- products list)`);
  return product;
}
