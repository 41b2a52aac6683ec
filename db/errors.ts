/** The database could not be reached or opened; the message is fit to show a user as is. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "EPIPE",
  "ENETUNREACH",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
]);

/** True for errors that mean "the server is not there", as opposed to a bad query. */
export function isUnavailableError(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return true;
  const message = (err as { message?: unknown } | null)?.message;
  if (
    typeof message === "string" &&
    /\b(ECONNRESET|ECONNREFUSED|EPIPE|CONNECTION_(CLOSED|ENDED|DESTROYED))\b/.test(message)
  ) {
    return true;
  }
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== err && isUnavailableError(cause);
}

/**
 * A short, user-facing description of a database error: Drizzle wraps the
 * driver's error in one whose message holds the whole query and its
 * parameters, which must never reach a user, a log line or a run record.
 */
export function describeDatabaseError(err: unknown): string {
  if (isUnavailableError(err)) {
    const inner = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    return `the database became unavailable (${String(inner).split("\n")[0]?.slice(0, 200)})`;
  }
  const cause = (err as { cause?: unknown }).cause;
  const source = cause instanceof Error ? cause : err instanceof Error ? err : null;
  const message = source?.message ?? String(err);
  return (message.split("\n")[0] ?? message).slice(0, 500);
}
