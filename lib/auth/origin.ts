/** Read access to request headers: a `Headers` object or Next's `headers()` result. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The host the request was addressed to, as Next itself resolves it for its
 * server-action check: the first X-Forwarded-Host when present, else Host.
 */
export function requestHost(headers: HeaderSource): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || headers.get("host") || null;
}

/** Whether the request came over https (directly or via a proxy that says so). */
export function isHttpsRequest(headers: HeaderSource): boolean {
  return (headers.get("x-forwarded-proto") ?? "").split(",")[0]?.trim() === "https";
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/**
 * CSRF check for a state-changing request that a browser sends with the
 * session cookie. Accepted only when the browser says it is same-origin:
 * an `Origin` header whose host equals the request's host, or, when a
 * browser omits Origin, `Sec-Fetch-Site: same-origin`. A missing Origin with
 * no Sec-Fetch-Site, `Origin: null` (sandboxed frames, some redirects) and any
 * other site are refused. SameSite=Lax cookies already stop most cross-site
 * POSTs; this also covers same-site subdomains and old browsers.
 */
export function checkSameOrigin(headers: HeaderSource): OriginVerdict {
  const host = requestHost(headers);
  if (!host) return { ok: false, reason: "no Host header" };
  const origin = headers.get("origin");
  if (origin !== null) {
    if (origin === "null") return { ok: false, reason: "opaque origin" };
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return { ok: false, reason: "malformed Origin" };
    }
    return originHost.toLowerCase() === host.toLowerCase()
      ? { ok: true }
      : { ok: false, reason: "cross-origin request" };
  }
  return headers.get("sec-fetch-site") === "same-origin"
    ? { ok: true }
    : { ok: false, reason: "no Origin header" };
}

/** For route handlers that mutate with a cookie session: a 403 Response, or null to proceed. */
export function rejectCrossOrigin(request: Request): Response | null {
  const verdict = checkSameOrigin(request.headers);
  if (verdict.ok) return null;
  return Response.json({ error: "cross-origin request refused" }, { status: 403 });
}
