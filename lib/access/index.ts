/**
 * The data-access layer: every page, server action and route handler asks
 * here who the caller is and which products they may read or configure.
 * proxy.ts only adds headers; it never decides access.
 */
export { verifyActionOrigin } from "./action";
export { type ApiAccess, authorizeReadApi, extractApiKey } from "./api";
export { findProductForViewer, listVisibleProducts } from "./products";
export {
  canManageInstallation,
  isPlausibleSlug,
  isProductActionAllowed,
  type ProductAction,
  seesAllProducts,
  type Viewer,
} from "./roles";
export { getViewer, requireAdmin, requireProduct, requireViewer, safeNextPath } from "./viewer";
