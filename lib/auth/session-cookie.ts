import { cookies, headers } from "next/headers";
import { isHttpsRequest } from "./origin";
import { SESSION_MAX_MS } from "./sessions";

/** Name of the session cookie. */
export const SESSION_COOKIE = "ns_session";

/** The session token the browser sent, if any (shape is checked where it is used). */
export async function readSessionToken(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

/**
 * http-only (no script can read it), SameSite=Lax (not sent on cross-site
 * POSTs), Secure when the request came over https, scoped to the whole site.
 */
export async function writeSessionCookie(token: string): Promise<void> {
  const secure = isHttpsRequest(await headers());
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: Math.floor(SESSION_MAX_MS / 1000),
  });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}
