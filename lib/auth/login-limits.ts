import type { HeaderSource } from "./origin";
import { createRateLimiter, type RateLimiter } from "./rate-limit";

/** Failed sign-ins allowed per client address per window, on top of the per-account back-off. */
export const LOGIN_FAILURES_PER_IP = 20;
export const LOGIN_IP_WINDOW_MS = 15 * 60 * 1000;

const globalForLimits = globalThis as unknown as { northstarLoginLimiter?: RateLimiter };

/** One limiter per server process (kept on globalThis so module reloads share it). */
export function loginLimiter(): RateLimiter {
  globalForLimits.northstarLoginLimiter ??= createRateLimiter({
    limit: LOGIN_FAILURES_PER_IP,
    windowMs: LOGIN_IP_WINDOW_MS,
  });
  return globalForLimits.northstarLoginLimiter;
}

/**
 * The client address used as the limiter key: the first X-Forwarded-For entry.
 * Next fills that header from the socket when the client sent none; a client
 * that sends its own can pick its key, which is why the per-account back-off,
 * not this limiter, is the guarantee. Behind a reverse proxy that overwrites
 * X-Forwarded-For, the key is the real address.
 */
export function clientAddress(headers: HeaderSource): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim().slice(0, 64) || "unknown";
}
