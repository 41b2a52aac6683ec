/** Outcome of asking a limiter about one key. */
export interface LimitState {
  allowed: boolean;
  /** How long until the key may try again (0 when allowed). */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Whether `key` is still under the limit, without counting anything. */
  check(key: string, now?: number): LimitState;
  /** Count one hit (e.g. a failed login) against `key`. */
  hit(key: string, now?: number): LimitState;
  /** Forget `key` (e.g. after a successful login). */
  reset(key: string): void;
  /** Keys tracked, for tests and memory checks. */
  size(): number;
}

/**
 * Fixed-window counter per key, kept in this process's memory: at most `limit`
 * hits per `windowMs`. Memory is bounded by `maxKeys`: expired windows are
 * dropped first, then the oldest keys, so a flood of spoofed keys cannot grow
 * it without bound. A single server process is the deployment model; several
 * processes would each keep their own count (documented in docs/security.md).
 */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}): RateLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, { count: number; resetAt: number }>();

  const current = (key: string, now: number) => {
    const w = windows.get(key);
    if (w && w.resetAt <= now) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };
  const state = (w: { count: number; resetAt: number } | undefined, now: number): LimitState =>
    w && w.count >= limit
      ? { allowed: false, retryAfterMs: w.resetAt - now }
      : { allowed: true, retryAfterMs: 0 };
  const prune = (now: number) => {
    for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
    // Map iteration is insertion order: the first keys are the oldest windows.
    for (const k of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(k);
    }
  };

  return {
    check(key, now = Date.now()) {
      return state(current(key, now), now);
    },
    hit(key, now = Date.now()) {
      let w = current(key, now);
      if (!w) {
        if (windows.size >= maxKeys) prune(now);
        w = { count: 0, resetAt: now + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return state(w, now);
    },
    reset(key) {
      windows.delete(key);
    },
    size() {
      return windows.size;
    },
  };
}
