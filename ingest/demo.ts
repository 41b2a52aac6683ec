import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { analyzeDatabase } from "../db/maintenance";
import { annotations, features, products, themes } from "../db/schema/products";
import { type DemoProduct, generateDemo } from "../db/seed/demo-data";
import { ensureDemoAccounts } from "../lib/auth/demo-accounts";
import type { IngestItem, NormalizedMention } from "./normalized";
import { type RunCounts, runIngest } from "./pipeline";

export interface LoadDemoOptions {
  /** Data covers the `days` days before this instant. */
  end: Date;
  days?: number;
  seed?: number;
  scale?: number;
  onProgress?: (message: string) => void;
}

export interface DemoLoadResult {
  products: { slug: string; events: RunCounts; surveys: RunCounts; mentions: RunCounts }[];
}

const emptyCounts = (): RunCounts => ({ read: 0, inserted: 0, duplicates: 0, rejected: 0 });

async function ensureProduct(db: Db, demo: DemoProduct): Promise<number> {
  await db
    .insert(products)
    .values({ slug: demo.slug, name: demo.name, timezone: demo.timezone, weekStart: demo.weekStart })
    .onConflictDoNothing();
  const [row] = await db.select({ id: products.id }).from(products).where(eq(products.slug, demo.slug));
  if (!row) throw new Error(`could not create demo product ${demo.slug}`);
  const productId = row.id;
  if (demo.features.length > 0) {
    await db
      .insert(features)
      .values(demo.features.map((f) => ({ ...f, productId })))
      .onConflictDoNothing();
  }
  if (demo.themes.length > 0) {
    await db
      .insert(themes)
      .values(demo.themes.map((t) => ({ ...t, productId })))
      .onConflictDoNothing();
  }
  for (const a of demo.annotations) {
    const existing = await db
      .select({ id: annotations.id })
      .from(annotations)
      .where(and(eq(annotations.productId, productId), eq(annotations.title, a.title)));
    if (existing.length === 0) await db.insert(annotations).values({ ...a, productId });
  }
  return productId;
}

/**
 * Load the demo portfolio through the same pipeline real imports use, so the
 * demo exercises validation, dedupe and run records. Loading twice adds nothing:
 * every generated row has a stable id.
 */
export async function loadDemo(db: Db, options: LoadDemoOptions): Promise<DemoLoadResult> {
  const data = generateDemo({
    end: options.end,
    days: options.days,
    seed: options.seed,
    scale: options.scale,
  });
  const result: DemoLoadResult = { products: [] };
  for (const demo of data.products) {
    options.onProgress?.(`Loading demo product ${demo.name}...`);
    const productId = await ensureProduct(db, demo);
    const base = { productId, kind: "demo" as const, fileName: null };

    const events = await runIngest(
      db,
      { ...base, format: "demo" },
      (function* (): Generator<IngestItem> {
        for (const value of data.events(demo.slug)) yield { kind: "event", value };
      })(),
    );
    const surveys = await runIngest(
      db,
      { ...base, format: "demo" },
      (function* (): Generator<IngestItem> {
        for (const value of data.surveys(demo.slug)) yield { kind: "survey", value };
      })(),
    );

    const bySource = new Map<string, NormalizedMention[]>();
    for (const { source, mention } of data.mentions(demo.slug)) {
      const list = bySource.get(source) ?? [];
      list.push(mention);
      bySource.set(source, list);
    }
    const mentions = emptyCounts();
    for (const [source, list] of bySource) {
      const run = await runIngest(
        db,
        { ...base, format: source },
        list.map((value): IngestItem => ({ kind: "mention", value })),
      );
      for (const k of ["read", "inserted", "duplicates", "rejected"] as const) mentions[k] += run[k];
    }
    result.products.push({ slug: demo.slug, events, surveys, mentions });
  }
  // Demo accounts (one per role) so the demo shows what each role sees; see lib/auth/demo-accounts.ts.
  await ensureDemoAccounts(db);
  // A bulk load: refresh the planner's statistics (PGlite has no autovacuum).
  await analyzeDatabase(db);
  return result;
}
