import type { UserRole } from "../../db/schema/auth";
import type { MembershipRole } from "../auth/users";

/** What a viewer wants to do with a product: look at it, or change its settings, sources, keys, targets. */
export type ProductAction = "read" | "configure";

/** The signed-in person, as every page, action and route sees them. Never carries the password hash. */
export interface Viewer {
  id: number;
  email: string;
  name: string | null;
  role: UserRole;
}

/**
 * The access rule, in one place:
 * - admin: reads and configures every product (and manages users and keys);
 * - exec: reads every product;
 * - anyone with a membership reads that product; a `lead_pm` membership also configures it;
 * - nobody else sees the product at all (pages answer 404, not 403).
 */
export function isProductActionAllowed(
  role: UserRole,
  membership: MembershipRole | null,
  action: ProductAction,
): boolean {
  if (role === "admin") return true;
  if (action === "read") return role === "exec" || membership !== null;
  return membership === "lead_pm";
}

/** Roles that see every product without memberships. */
export function seesAllProducts(role: UserRole): boolean {
  return role === "admin" || role === "exec";
}

/** Settings, users and API keys across the whole installation. */
export function canManageInstallation(role: UserRole): boolean {
  return role === "admin";
}

/** A slug that could name a product (see createProductSchema); anything else is a 404 without a query. */
export function isPlausibleSlug(slug: unknown): slug is string {
  return typeof slug === "string" && /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug);
}
