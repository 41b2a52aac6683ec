import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  FetchFailedError,
  fetchWithRetry,
  parseRetryAfter,
  type RetryOptions,
  USER_AGENT,
} from "../../ingest/sync/fetch-retry";

type Step = Response | Error;

/** A fetch that answers from a script and a sleep that only records: no network, no waiting. */
function harness(steps: Step[], extra: Partial<RetryOptions> = {}) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const sleeps: number[] = [];
  const options: Partial<RetryOptions> = {
    fetch: async (input, init) => {
      calls.push({ url: String(input), init });
      const step = steps[Math.min(calls.length - 1, steps.length - 1)];
      if (step instanceof Error) throw step;
      return step as Response;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1, // no jitter: waits are exactly base * 2^(n-1)
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    maxAttempts: 4,
    now: () => new Date("2026-11-27T12:00:00Z"),
    ...extra,
  };
  return { calls, sleeps, options };
}

const ok = (body = '{"ok":true}') => new Response(body, { status: 200 });
const status = (code: number, headers: Record<string, string> = {}) =>
  new Response("busy", { status: code, headers });
const request = { url: "http://127.0.0.1:9/api?q=x", headers: { Accept: "application/json" } };

describe("fetchWithRetry", () => {
  it("retries a 429 and returns the 200 body", async () => {
    const h = harness([status(429), ok('{"hits":[]}')]);
    const page = await fetchWithRetry(request, h.options);
    expect(page.status).toBe(200);
    expect(new TextDecoder().decode(page.body)).toBe('{"hits":[]}');
    expect(h.calls).toHaveLength(2);
    expect(h.sleeps).toEqual([1000]);
  });

  it("backs off exponentially on 503, 503, then succeeds", async () => {
    const h = harness([status(503), status(503), ok()]);
    await fetchWithRetry(request, h.options);
    expect(h.calls).toHaveLength(3);
    expect(h.sleeps).toEqual([1000, 2000]);
  });

  it("waits as long as Retry-After says, in seconds or as an HTTP date", async () => {
    const h = harness([
      status(429, { "Retry-After": "7" }),
      status(503, { "Retry-After": "Fri, 27 Nov 2026 12:00:30 GMT" }),
      ok(),
    ]);
    await fetchWithRetry(request, h.options);
    expect(h.sleeps).toEqual([7000, 30_000]);
  });

  it("gives up after maxAttempts with the last failure in the message", async () => {
    const h = harness([status(503)], { maxAttempts: 3 });
    const err = await fetchWithRetry(request, h.options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchFailedError);
    expect((err as Error).message).toBe("GET http://127.0.0.1:9/api?q=x: HTTP 503 after 3 attempts");
    expect((err as FetchFailedError).status).toBe(503);
    expect(h.calls).toHaveLength(3);
    expect(h.sleeps).toEqual([1000, 2000]);
  });

  it("retries network errors and timeouts", async () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const h = harness([refused, timeout as unknown as Error, ok()]);
    const page = await fetchWithRetry(request, h.options);
    expect(page.status).toBe(200);
    expect(h.sleeps).toEqual([1000, 2000]);

    const failing = harness([refused], { maxAttempts: 2 });
    await expect(fetchWithRetry(request, failing.options)).rejects.toThrow(
      "GET http://127.0.0.1:9/api?q=x: network error: ECONNREFUSED after 2 attempts",
    );
  });

  it("does not retry other 4xx, and hints at the token on 401", async () => {
    const h = harness([status(401), ok()]);
    await expect(fetchWithRetry(request, h.options)).rejects.toThrow(
      /HTTP 401 \(check the token named by --token-env\)/,
    );
    expect(h.calls).toHaveLength(1);
    const notFound = harness([status(404)]);
    await expect(fetchWithRetry(request, notFound.options)).rejects.toThrow(
      "GET http://127.0.0.1:9/api?q=x: HTTP 404",
    );
    expect(notFound.sleeps).toEqual([]);
  });

  it("fails at once when Retry-After is longer than the run will wait", async () => {
    const h = harness([status(429, { "Retry-After": "3600" }), ok()], { maxRetryAfterMs: 120_000 });
    await expect(fetchWithRetry(request, h.options)).rejects.toThrow(
      /asked to retry after 3600 s \(this run waits at most 120 s\)/,
    );
    expect(h.calls).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("sends the Northstar User-Agent and the request's headers with a timeout signal", async () => {
    const h = harness([ok()]);
    await fetchWithRetry(request, h.options);
    const headers = h.calls[0]?.init?.headers as Record<string, string>;
    expect(headers["User-Agent"]).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^Northstar\//);
    expect(headers.Accept).toBe("application/json");
    expect(h.calls[0]?.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it("returns 304 Not Modified as a page with no body", async () => {
    const h = harness([new Response(null, { status: 304, headers: { ETag: '"v1"' } })]);
    const page = await fetchWithRetry(request, h.options);
    expect(page.status).toBe(304);
    expect(page.body.length).toBe(0);
    expect(page.headers.get("etag")).toBe('"v1"');
  });

  it("refuses a body over the size limit without retrying", async () => {
    const h = harness([ok("x".repeat(100))], { maxBodyBytes: 10 });
    await expect(fetchWithRetry(request, h.options)).rejects.toThrow(/over the 10-byte limit/);
    expect(h.calls).toHaveLength(1);
  });
});

describe("parseRetryAfter and backoffDelay", () => {
  const now = new Date("2026-11-27T12:00:00Z");
  it("reads delta-seconds and HTTP dates, ignores garbage", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("Fri, 27 Nov 2026 12:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 11:00:00 GMT", now)).toBe(0); // in the past: retry now
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("doubles from the base, caps at the maximum, and jitters between 50% and 100%", () => {
    const o = { baseDelayMs: 500, maxDelayMs: 3000, random: () => 1 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, o))).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(backoffDelay(3, { ...o, random: () => 0 })).toBe(1000);
    expect(backoffDelay(3, { ...o, random: () => 0.5 })).toBe(1500);
  });
});
