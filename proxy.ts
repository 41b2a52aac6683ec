import { type NextRequest, NextResponse } from "next/server";
import { buildContentSecurityPolicy, generateNonce, securityHeaders } from "./lib/auth/security-headers";

/**
 * Security headers and the per-request CSP nonce for pages. This file decides
 * no access: pages, actions and routes check the caller through lib/access, so
 * a request that skipped the proxy would still be refused.
 */
export function proxy(request: NextRequest) {
  const https =
    request.nextUrl.protocol === "https:" ||
    request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  const nonce = generateNonce();
  const csp = buildContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  // Next reads the nonce from the request's CSP header and puts it on its scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(securityHeaders({ https }))) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not the JSON API (keys, no cookies, no HTML) nor static assets.
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
