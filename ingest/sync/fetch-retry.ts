import type { FetchedPage, PageRequest } from "./types";

export const USER_AGENT = "Northstar/0.1 (product-metrics source sync)";

export interface RetryOptions {
  fetch: typeof globalThis.fetch;
  /** Waits between attempts; tests pass one that records and returns at once. */
  sleep: (ms: number) => Promise<void>;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff wait; doubles on each retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the run fails and cron tries again later. */
  maxRetryAfterMs: number;
  /** Per attempt, headers and body included. */
  timeoutMs: number;
  /** Bodies larger than this fail the page instead of filling memory. */
  maxBodyBytes: number;
  /** 0..1, for jitter; tests pass a constant. */
  random: () => number;
  /** For Retry-After given as an HTTP date. */
  now: () => Date;
}

export const DEFAULT_RETRY: RetryOptions = {
  fetch: (...args) => globalThis.fetch(...args),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  timeoutMs: 30_000,
  maxBodyBytes: 32 * 1024 * 1024,
  random: Math.random,
  now: () => new Date(),
};

/** A page that could not be fetched: the message names the URL and the last failure, never a token. */
export class FetchFailedError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "FetchFailedError";
  }
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** Exponential backoff with jitter: attempt 1 waits about base, then 2x, 4x..., capped; jitter spreads 50-100%. */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs" | "random">,
): number {
  const full = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(full * (0.5 + options.random() * 0.5));
}

/** 429 and 5xx are worth retrying; other 4xx (bad token, unknown form) will not change by waiting. */
export const isRetryableStatus = (status: number): boolean =>
  status === 429 || (status >= 500 && status <= 599);

async function readBody(res: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length"));
  if (declared > limit)
    throw new FetchFailedError(`response of ${declared} bytes is over the ${limit}-byte limit`, res.status);
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.length > limit) throw new FetchFailedError(`response is over the ${limit}-byte limit`, res.status);
  return body;
}

const describeNetworkError = (err: unknown): string => {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return "timed out";
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
};

type Attempt = { page: FetchedPage } | { retry: string; wait: number | null; status: number | null };

/** One try: a page, a retryable failure (with the server's wait, if it gave one), or a thrown fatal error. */
async function attemptOnce(request: PageRequest, options: RetryOptions): Promise<Attempt> {
  const where = `GET ${request.url}`;
  let res: Response;
  try {
    res = await options.fetch(request.url, {
      headers: { "User-Agent": USER_AGENT, ...request.headers },
      redirect: "follow",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    return { retry: `network error: ${describeNetworkError(err)}`, wait: null, status: null };
  }
  if (res.status === 304) {
    await res.body?.cancel().catch(() => {});
    return { page: { status: 304, headers: res.headers, body: new Uint8Array(0) } };
  }
  if (res.ok) {
    try {
      return {
        page: { status: res.status, headers: res.headers, body: await readBody(res, options.maxBodyBytes) },
      };
    } catch (err) {
      if (err instanceof FetchFailedError) throw new FetchFailedError(`${where}: ${err.message}`, res.status);
      return {
        retry: `network error while reading the body: ${describeNetworkError(err)}`,
        wait: null,
        status: res.status,
      };
    }
  }
  await res.body?.cancel().catch(() => {});
  const failure = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
  if (!isRetryableStatus(res.status)) {
    const hint = res.status === 401 || res.status === 403 ? " (check the token named by --token-env)" : "";
    throw new FetchFailedError(`${where}: ${failure}${hint}`, res.status);
  }
  const wait = parseRetryAfter(res.headers.get("retry-after"), options.now());
  if (wait !== null && wait > options.maxRetryAfterMs) {
    const secs = (ms: number) => Math.round(ms / 1000);
    throw new FetchFailedError(
      `${where}: ${failure}, asked to retry after ${secs(wait)} s (this run waits at most ${secs(options.maxRetryAfterMs)} s)`,
      res.status,
    );
  }
  return { retry: failure, wait, status: res.status };
}

/**
 * GET one page, retrying network errors, timeouts, 429 and 5xx with
 * exponential backoff; a Retry-After header sets the wait instead. Other
 * statuses fail at once. 304 is returned (conditional GET), with no body.
 */
export async function fetchWithRetry(
  request: PageRequest,
  partial: Partial<RetryOptions> = {},
): Promise<FetchedPage> {
  const options = { ...DEFAULT_RETRY, ...partial };
  for (let attempt = 1; ; attempt++) {
    const result = await attemptOnce(request, options);
    if ("page" in result) return result.page;
    if (attempt >= options.maxAttempts) {
      const times = `${attempt} attempt${attempt === 1 ? "" : "s"}`;
      throw new FetchFailedError(`GET ${request.url}: ${result.retry} after ${times}`, result.status);
    }
    await options.sleep(result.wait ?? backoffDelay(attempt, options));
  }
}
