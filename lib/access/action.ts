import { headers } from "next/headers";
import { checkSameOrigin, type OriginVerdict } from "../auth/origin";

/**
 * Every server action calls this first. Next already aborts actions whose
 * Origin names another host, but lets a request without Origin through; this
 * also refuses that, and `Origin: null`, so the rule does not depend on Next.
 */
export async function verifyActionOrigin(): Promise<OriginVerdict> {
  return checkSameOrigin(await headers());
}
