import { revalidatePath } from "next/cache";

/** Re-render a product's settings page (and the hub that lists products) after a change. */
export function refreshProductSettings(slug: string): void {
  revalidatePath(`/settings/products/${slug}`);
  revalidatePath("/settings");
}
