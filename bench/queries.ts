/**
 * Query benchmark on PostgreSQL (`npm run bench:queries -- --events 10000000 [--runs 15]`):
 * generates 3 products, `events` events of `events / 20` actors (500k at 10M)
 * over 180 days with `insert ... select generate_series` (30% of actors
 * identified), builds the rollup, then times the weekly KPI set, a 4-step funnel
 * over 30 days, 12-week retention and adoption of 10 features, each against the
 * same computation on raw events, and prints p50/p95 and the ratio.
 * `--keep` keeps the generated database and prints its name; `--reuse <name>`
 * times again on it without generating; `--only <text>` times only the cases whose name contains it.
 */
import { sql as sqlTag } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import type { Product } from "../db/schema/products";
import { parseWeek, resolvePeriod } from "../lib/metrics/period-resolve";
import type { ActivitySource } from "../lib/queries/activity-source";
import { getAdoptionReport } from "../lib/queries/adoption";
import { getFunnel } from "../lib/queries/funnels";
import { getKpiMetrics } from "../lib/queries/kpis";
import { getProductBySlug } from "../lib/queries/products";
import { getRetention } from "../lib/queries/retention";
import { applyPendingLinks, rebuildEventRollups } from "../lib/queries/rollups";
import { argValue, benchServerUrl, createBenchDatabase } from "./bench-db";

const total = Number(argValue("events", "1000000"));
const runs = Number(argValue("runs", "15"));
const actors = Math.max(1000, Math.round(total / 20));
const log = (m: string) => process.stdout.write(`${m}\n`);
const FEATURES = Array.from({ length: 10 }, (_, i) => `feature_${i}`);
const EVENTS = ["signed_up", "activated", "purchase", ...FEATURES];
/** Data covers the 180 days before this instant; the timed week and ranges sit at its end. */
const END = Date.UTC(2026, 10, 23); // Monday 2026-11-23 00:00 UTC

async function generate(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const started = Date.now();
  await sql`select setseed(0.42)`;
  for (const [i, slug] of ["alpha", "beta", "gamma"].entries()) {
    const [p] = await sql<{ id: number }[]>`
      insert into products (slug, name, timezone, week_start)
      values (${slug}, ${slug}, ${["UTC", "Europe/Berlin", "America/New_York"][i] as string}, 'monday') returning id`;
    const pid = (p as { id: number }).id;
    const n = Math.round(total / 3);
    // Visits of 8 events a few minutes apart (60% pageviews) by skewed actors: a few very active, many occasional.
    // Millisecond timestamps, as every ingest path stores them (JavaScript dates).
    await sql.unsafe(
      `insert into events (product_id, message_id, timestamp, event, type, user_id, anonymous_id, properties, source)
       select ${pid}, 'b' || v.id || '-' || k, date_trunc('milliseconds', v.t0 + (k * 150 * random()) * interval '1 second'), ev,
         case when ev = 'pageview' then 'page' else 'track' end,
         case when v.actor % 10 < 3 and random() < 0.7 then 'u' || v.actor end, 'a' || v.actor,
         jsonb_build_object('plan', case when random() < 0.3 then 'pro' else 'free' end), 'bench'
       from (
         select id, floor(power(random(), 2) * ${actors})::int as actor,
           to_timestamp(${END / 1000} - random() * 180 * 86400) as t0
         from generate_series(1, ${Math.ceil(n / 8)}) id
       ) v
       cross join lateral (
         select k, case when random() < 0.6 then 'pageview'
           else (array[${EVENTS.map((e) => `'${e}'`).join(",")}])[1 + floor(random() * ${EVENTS.length})::int] end as ev
         from generate_series(1, 8 + 0 * v.id) k -- tied to the visit, so each visit draws its own events
       ) e`,
    );
    await sql.unsafe(
      `insert into identities (product_id, anonymous_id, user_id, linked_at)
       select ${pid}, 'a' || k, 'u' || k, now() from generate_series(0, ${actors - 1}) k where k % 10 < 3`,
    );
    await sql.unsafe(
      `insert into features (product_id, key, name, event_names, filters)
       select ${pid}, f, f, array[f], case when f = 'feature_9' then '[{"property":"plan","op":"eq","value":"pro"}]'::jsonb else '[]'::jsonb end
       from unnest(array[${FEATURES.map((f) => `'${f}'`).join(",")}]) f`,
    );
    log(`  ${slug}: ${n.toLocaleString()} events (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  await sql`analyze`;
  await sql.end();
}

function stats(samples: number[]): { p50: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] as number;
  return { p50: at(0.5), p95: at(0.95) };
}

async function time(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  // --reuse <database>: time again on a database kept by an earlier `--keep` run (generation at 10M takes minutes).
  const reuse = argValue("reuse", "");
  log(
    reuse
      ? `bench:queries: reusing database ${reuse} (as generated there)`
      : `bench:queries: ${total.toLocaleString()} events, ${actors.toLocaleString()} actors per product, 3 products, 180 days`,
  );
  const bench = reuse
    ? {
        url: Object.assign(new URL(benchServerUrl()), { pathname: `/${reuse}` }).toString(),
        drop: async () => {},
      }
    : await createBenchDatabase("ns_bench_queries");
  try {
    const handle = await openPostgres(bench.url, 4);
    await migrateDatabase(handle.db, "postgres");
    const db = handle.db;
    let t = Date.now();
    if (!reuse) {
      await generate(bench.url);
      for (const slug of ["alpha", "beta", "gamma"]) {
        await rebuildEventRollups(db, ((await getProductBySlug(db, slug)) as Product).id);
      }
      // The generated links went in directly, as pending ones; the rebuild resolved every piece with them.
      await applyPendingLinks(db);
      // As autovacuum leaves a table at rest: statistics and the visibility map (index-only scans).
      await db.execute(sqlTag`vacuum analyze`);
      log(`  rollups built in ${Math.round((Date.now() - t) / 1000)} s`);
      if (process.argv.includes("--keep"))
        log(`  kept as ${new URL(bench.url).pathname.slice(1)} (--reuse it)`);
    }
    const product = (await getProductBySlug(db, "beta")) as Product;
    const week = parseWeek("2026-W47", product.timezone, product.weekStart);
    const month = resolvePeriod(
      { from: "2026-10-23", to: "2026-11-21" },
      product.timezone,
      product.weekStart,
    );
    const cohorts = resolvePeriod(
      { from: "2026-06-01", to: "2026-08-23" },
      product.timezone,
      product.weekStart,
    );
    const now = new Date(END);
    const goals = ["signed_up", "purchase"];
    const cases: { name: string; target: number; run: (source: ActivitySource) => Promise<unknown> }[] = [
      {
        name: "weekly KPI set",
        target: 150,
        run: (source) => getKpiMetrics(db, { product, period: week, goals, source }),
      },
      {
        name: "4-step funnel, 30 days",
        target: 1000,
        run: (source) =>
          getFunnel(db, {
            product,
            period: month,
            steps: ["pageview", "signed_up", "activated", "purchase"].map((event) => ({ event })),
            // The naive run ships every step event of every actor to the funnel tracer.
            fullScan: source === "raw",
          }),
      },
      {
        name: "12-week retention",
        target: 1000,
        run: (source) => getRetention(db, { product, period: cohorts, now, source }),
      },
      {
        name: "adoption, 10 features",
        target: 1000,
        run: (source) => getAdoptionReport(db, { product, period: week, source }),
      },
    ];
    log(`\n| query | p50 ms | p95 ms | raw p50 ms | raw / rollup | target |`);
    log(`|---|---:|---:|---:|---:|---|`);
    const only = argValue("only", "");
    for (const c of cases.filter((x) => x.name.includes(only))) {
      t = Date.now();
      const fast = stats(await time(() => c.run("rollup"), runs));
      const raw = stats(await time(() => c.run("raw"), Math.max(3, Math.round(runs / 3))));
      const ok = fast.p50 < c.target ? "met" : "missed";
      log(
        `| ${c.name} | ${fast.p50.toFixed(0)} | ${fast.p95.toFixed(0)} | ${raw.p50.toFixed(0)} | ${(raw.p50 / fast.p50).toFixed(1)}x | < ${c.target} ms: ${ok} |`,
      );
    }
    await handle.close();
  } finally {
    if (!process.argv.includes("--keep")) await bench.drop();
  }
}

await main();
