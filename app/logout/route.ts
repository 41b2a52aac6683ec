import { rejectCrossOrigin } from "../../lib/auth/origin";
import { clearSessionCookie, readSessionToken } from "../../lib/auth/session-cookie";
import { deleteSession } from "../../lib/auth/sessions";
import { getAppDb } from "../../lib/db";

/**
 * Sign out (POST only: a GET must never change state). The session row is
 * deleted, so the token is dead even if a copy of the cookie survives.
 */
export async function POST(request: Request): Promise<Response> {
  const refused = rejectCrossOrigin(request);
  if (refused) return refused;
  const token = await readSessionToken();
  if (token) await deleteSession(await getAppDb(), token);
  await clearSessionCookie();
  return new Response(null, { status: 303, headers: { location: "/login" } });
}
