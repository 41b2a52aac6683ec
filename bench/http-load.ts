/**
 * Load generator for the ingest API, run as its own process by bench/ingest.ts:
 * keeps `--concurrency` requests of `--batch` Segment events in flight for
 * `--seconds`, and prints one JSON line with counts and latencies.
 */
import { argValue, percentile } from "./bench-db";

const url = argValue("url", "");
const key = argValue("key", "");
const seconds = Number(argValue("seconds", "30"));
const batchSize = Number(argValue("batch", "100"));
const concurrency = Number(argValue("concurrency", "8"));
const prefix = argValue("prefix", `h${process.pid}`);

let next = 0;
const latencies: number[] = [];
let accepted = 0;
let duplicates = 0;
let sent = 0;
let failures = 0;
const auth = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
const deadline = Date.now() + seconds * 1000;

function makeBatch(): string {
  const batch = [];
  for (let i = 0; i < batchSize; i++) {
    const n = next++;
    batch.push({
      type: n % 5 === 0 ? "page" : "track",
      messageId: `${prefix}-${n}`,
      anonymousId: `anon-${n % 5000}`,
      event: n % 5 === 0 ? undefined : "feature_used",
      name: n % 5 === 0 ? "Home" : undefined,
      timestamp: new Date(Date.now() - (n % 86_400) * 1000).toISOString(),
      properties: { plan: n % 3 === 0 ? "pro" : "free", n },
      context: { page: { url: "https://example.com/home", path: "/home" } },
    });
  }
  return JSON.stringify({ batch });
}

async function worker(): Promise<void> {
  while (Date.now() < deadline) {
    const body = makeBatch();
    const started = performance.now();
    try {
      const res = await fetch(`${url}/api/v1/batch`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: auth },
        body,
      });
      const json = (await res.json()) as { accepted?: number; duplicates?: number };
      latencies.push(performance.now() - started);
      sent += batchSize;
      if (res.status === 200) {
        accepted += json.accepted ?? 0;
        duplicates += json.duplicates ?? 0;
      } else failures += 1;
    } catch {
      failures += 1;
    }
  }
}

const started = Date.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    seconds: elapsed,
    sent,
    accepted,
    duplicates,
    failures,
    events_per_second: Math.round(accepted / elapsed),
    p50_ms: Math.round(percentile(latencies, 50)),
    p99_ms: Math.round(percentile(latencies, 99)),
  })}\n`,
);
