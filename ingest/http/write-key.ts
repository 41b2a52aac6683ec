/**
 * The write key of an ingest request, wherever the sender's SDK puts it:
 * HTTP Basic with the key as user name (Segment), `Authorization: Bearer`,
 * or `api_key` / `writeKey` in the JSON body (PostHog, analytics.js batch).
 */
export function extractWriteKey(headers: Headers, body: unknown): string | null {
  const auth = headers.get("authorization");
  if (auth) {
    const [scheme, value] = auth.split(/\s+/, 2);
    if (scheme?.toLowerCase() === "bearer" && value) return value.trim();
    if (scheme?.toLowerCase() === "basic" && value) {
      try {
        const decoded = Buffer.from(value, "base64").toString("utf8");
        const user = decoded.split(":")[0];
        if (user) return user;
      } catch {
        return null;
      }
    }
  }
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    for (const field of ["api_key", "writeKey", "token"]) {
      if (typeof b[field] === "string" && b[field]) return b[field] as string;
    }
  }
  return null;
}
