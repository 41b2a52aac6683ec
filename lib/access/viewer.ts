import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import { isDemoAccountEmail, isDemoInUse } from "../auth/demo-accounts";
import { readSessionToken } from "../auth/session-cookie";
import { resolveSession } from "../auth/sessions";
import { now } from "../clock";
import { getAppDb } from "../db";
import { findProductForViewer } from "./products";
import { canManageInstallation, type ProductAction, type Viewer } from "./roles";

/**
 * The signed-in viewer for this request, or null. Looked up once per request
 * (React cache) from the session cookie; a demo account stops counting as
 * signed in once demo data is no longer in use.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const token = await readSessionToken();
  if (!token) return null;
  const db = await getAppDb();
  const user = await resolveSession(db, token, now());
  if (!user) return null;
  if (isDemoAccountEmail(user.email) && !(await isDemoInUse(db))) return null;
  return user;
});

/** A local path to come back to after signing in; anything else becomes "/". */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2000) return "/";
  if (next.startsWith("//") || next.startsWith("/\\") || /[\u0000-\u001f\\]/.test(next)) return "/";
  try {
    const url = new URL(next, "http://northstar.invalid");
    if (url.origin !== "http://northstar.invalid") return "/";
    return `${url.pathname}${url.search}`;
  } catch {
    return "/";
  }
}

/** The viewer, or a redirect to /login that comes back to `path` afterwards. */
export async function requireViewer(path = "/"): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) {
    const next = safeNextPath(path);
    redirect(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
  }
  return viewer;
}

/** The product when the viewer may `action` it; otherwise the not-found page (never a 403 that confirms it). */
export async function requireProduct(
  db: Db,
  viewer: Viewer,
  slug: string,
  action: ProductAction = "read",
): Promise<Product> {
  const product = await findProductForViewer(db, viewer, slug, action);
  if (!product) notFound();
  return product;
}

/** Installation-wide settings (users, keys): admins only; everyone else gets the not-found page. */
export function requireAdmin(viewer: Viewer): Viewer {
  if (!canManageInstallation(viewer.role)) notFound();
  return viewer;
}
