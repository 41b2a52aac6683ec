import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { sqlTimestamp } from "../../db/rows";
import { sources } from "../../db/schema/ingest";

/** The APIs `sync` can pull from; each is read by the adapter of the same name. */
export const SOURCE_KINDS = ["hn", "reddit", "x", "appstore", "rss", "typeform"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export type Source = typeof sources.$inferSelect;

/** What a source stores in `config`. Never a secret: `tokenEnv` is only the NAME of a variable. */
export interface SourceConfig {
  query?: string;
  url?: string;
  tokenEnv?: string;
  baseUrl?: string;
  country?: string;
}

const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), {
    error: (issue) => `"${String(issue.input)}" is not an http(s) URL`,
  });

export const createSourceSchema = z
  .object({
    productId: z.number().int().positive(),
    kind: z.enum(SOURCE_KINDS, { error: `kind must be one of ${SOURCE_KINDS.join(", ")}` }),
    query: z.string().trim().min(1, "query is empty").max(500).optional(),
    url: httpUrl.optional(),
    tokenEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "token-env must be an environment variable NAME, not its value")
      .optional(),
    baseUrl: httpUrl.optional(),
    country: z
      .string()
      .regex(/^[a-z]{2}$/i, "country must be a two-letter code")
      .optional(),
  })
  .superRefine((s, ctx) => {
    const needs = (what: string) =>
      ctx.addIssue({ code: "custom", message: `${s.kind} sources need ${what}` });
    if (s.kind === "rss" && !s.url) needs("--url <feed URL>");
    if (["hn", "x", "typeform"].includes(s.kind) && !s.query) {
      needs(s.kind === "typeform" ? "--query <form id>" : "--query <search terms>");
    }
    if (s.kind === "reddit" && !s.query && !s.url) needs("--query <search terms> or --url <listing URL>");
    if (s.kind === "appstore" && !s.query && !s.url) needs("--query <app id> or --url <reviews feed URL>");
    if (s.kind === "appstore" && s.query && !/^\d+$/.test(s.query)) {
      ctx.addIssue({ code: "custom", message: "an appstore --query is the numeric App Store app id" });
    }
    if ((s.kind === "x" || s.kind === "typeform") && !s.tokenEnv) {
      needs("--token-env <NAME> (the API requires a bearer token)");
    }
  });
export type CreateSourceParams = z.input<typeof createSourceSchema>;

export class SourceExistsError extends Error {}

/**
 * Add a pull source to a product. The same kind with the same query/URL twice
 * in one product is refused: both would fetch the same items.
 */
export async function createSource(db: Db, params: CreateSourceParams): Promise<Source> {
  const { productId, kind, ...rest } = createSourceSchema.parse(params);
  const config: SourceConfig = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  if (config.country) config.country = config.country.toLowerCase();
  const existing = await db
    .select({ id: sources.id, config: sources.config })
    .from(sources)
    .where(and(eq(sources.productId, productId), eq(sources.kind, kind)));
  const same = existing.find(
    (s) => (s.config as SourceConfig).query === config.query && (s.config as SourceConfig).url === config.url,
  );
  if (same) throw new SourceExistsError(`this product already has that ${kind} source (id ${same.id})`);
  const [row] = await db
    .insert(sources)
    .values({ productId, kind, adapter: kind, config: config as Record<string, unknown> })
    .returning();
  if (!row) throw new Error("could not add the source");
  return row;
}

/** A product's sources, oldest first. */
export async function listSources(db: Db, params: { productId: number }): Promise<Source[]> {
  return db.select().from(sources).where(eq(sources.productId, params.productId)).orderBy(asc(sources.id));
}

export async function getSource(
  db: Db,
  params: { productId: number; sourceId: number },
): Promise<Source | null> {
  const [row] = await db
    .select()
    .from(sources)
    .where(and(eq(sources.id, params.sourceId), eq(sources.productId, params.productId)));
  return row ?? null;
}

/**
 * The sources a sync run takes: one named source (enabled or not: naming it is
 * the user's decision), else the enabled sources of one product or of all.
 */
export async function listSourcesToSync(
  db: Db,
  params: { productId?: number; sourceId?: number },
): Promise<Source[]> {
  const conditions = [
    params.sourceId !== undefined ? eq(sources.id, params.sourceId) : eq(sources.enabled, true),
    params.productId !== undefined ? eq(sources.productId, params.productId) : undefined,
  ];
  return db
    .select()
    .from(sources)
    .where(and(...conditions))
    .orderBy(asc(sources.productId), asc(sources.id));
}

/** Which product a source belongs to (for `sync --source <id>` without --product). */
export async function findSourceProductId(db: Db, sourceId: number): Promise<number | null> {
  const [row] = await db
    .select({ productId: sources.productId })
    .from(sources)
    .where(eq(sources.id, sourceId));
  return row?.productId ?? null;
}

/** Remove a source; its past runs stay, with `source_id` cleared. False when the product has no such source. */
export async function deleteSource(
  db: Db,
  params: { productId: number; sourceId: number },
): Promise<boolean> {
  const rows = await db
    .delete(sources)
    .where(and(eq(sources.id, params.sourceId), eq(sources.productId, params.productId)))
    .returning({ id: sources.id });
  return rows.length > 0;
}

/** Store where the next sync resumes; called in the same transaction as the page it follows. */
export async function updateSourceCursor(
  db: Db,
  params: { productId: number; sourceId: number; cursor: string | null },
): Promise<void> {
  await db
    .update(sources)
    .set({ cursor: params.cursor })
    .where(and(eq(sources.id, params.sourceId), eq(sources.productId, params.productId)));
}

/** Record how the last sync went ("succeeded: ...", "failed: ..."), shown by `sources list`. */
export async function updateSourceStatus(
  db: Db,
  params: { productId: number; sourceId: number; status: string; at: Date },
): Promise<void> {
  await db
    .update(sources)
    .set({ lastStatus: params.status, lastSyncAt: params.at })
    .where(and(eq(sources.id, params.sourceId), eq(sources.productId, params.productId)));
}

/**
 * Mark a source as being synced, unless another process already is (a cron
 * run overlapping a manual one). A claim older than `staleAfterMs` is taken
 * over: that sync crashed. True when this caller may sync the source.
 */
export async function claimSource(
  db: Db,
  params: { productId: number; sourceId: number; at: Date; staleAfterMs: number },
): Promise<boolean> {
  const staleBefore = new Date(params.at.getTime() - params.staleAfterMs);
  const rows = await db
    .update(sources)
    .set({ lastStatus: "running", lastSyncAt: params.at })
    .where(
      and(
        eq(sources.id, params.sourceId),
        eq(sources.productId, params.productId),
        sql`(${sources.lastStatus} is distinct from 'running' or ${sources.lastSyncAt} is null or ${sources.lastSyncAt} < ${sqlTimestamp(staleBefore)})`,
      ),
    )
    .returning({ id: sources.id });
  return rows.length > 0;
}
