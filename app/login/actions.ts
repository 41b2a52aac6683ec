"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { verifyActionOrigin } from "../../lib/access/action";
import { safeNextPath } from "../../lib/access/viewer";
import { attemptLogin } from "../../lib/auth/login";
import { clientAddress, loginLimiter } from "../../lib/auth/login-limits";
import { readSessionToken, writeSessionCookie } from "../../lib/auth/session-cookie";
import { createSession } from "../../lib/auth/sessions";
import { now } from "../../lib/clock";
import { getAppDb } from "../../lib/db";

function backToLogin(error: string, next: string): never {
  const params = new URLSearchParams({ error });
  if (next !== "/") params.set("next", next);
  redirect(`/login?${params}`);
}

/**
 * Sign in: same-origin check, per-address limit, password check with
 * per-account back-off, then a new session (the browser's previous token,
 * if any, is dropped) and a redirect to the local page that was asked for.
 */
export async function loginAction(formData: FormData): Promise<void> {
  const next = safeNextPath(formData.get("next"));
  if (!(await verifyActionOrigin()).ok) backToLogin("request", next);

  const requestHeaders = await headers();
  const ip = clientAddress(requestHeaders);
  const limiter = loginLimiter();
  if (!limiter.check(ip).allowed) backToLogin("rate", next);

  const db = await getAppDb();
  const result = await attemptLogin(db, {
    email: String(formData.get("email") ?? ""),
    password: String(formData.get("password") ?? ""),
    now: now(),
  });
  if (!result.ok) {
    limiter.hit(ip);
    backToLogin("invalid", next);
  }
  const session = await createSession(db, {
    userId: result.user.id,
    now: now(),
    userAgent: requestHeaders.get("user-agent"),
    replacing: await readSessionToken(),
  });
  await writeSessionCookie(session.token);
  redirect(next);
}
