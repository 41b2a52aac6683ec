import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { products } from "./products";

/** A configured pull source (HN query, subreddit, feed URL, Typeform form...). */
export const sources = pgTable(
  "sources",
  {
    id: serial("id").primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    adapter: text("adapter").notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    /** Opaque position the next sync resumes from. */
    cursor: text("cursor"),
    enabled: boolean("enabled").notNull().default(true),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    lastStatus: text("last_status"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sources_product_idx").on(t.productId)],
);

export const RUN_STATUSES = ["running", "succeeded", "failed"] as const;

/** One import, sync, API batch or demo load, with what happened to every row. */
export const importRuns = pgTable(
  "import_runs",
  {
    id: serial("id").primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    sourceId: integer("source_id").references(() => sources.id, { onDelete: "set null" }),
    kind: text("kind", { enum: ["import", "sync", "api", "demo"] }).notNull(),
    format: text("format").notNull(),
    fileName: text("file_name"),
    status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
    read: integer("read").notNull().default(0),
    inserted: integer("inserted").notNull().default(0),
    duplicates: integer("duplicates").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    error: text("error"),
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default({}),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("import_runs_product_idx").on(t.productId, t.startedAt)],
);
export type ImportRun = typeof importRuns.$inferSelect;

/** A row an import could not accept, kept with where it was and why. */
export const rejectedRows = pgTable(
  "rejected_rows",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runId: integer("run_id")
      .notNull()
      .references(() => importRuns.id, { onDelete: "cascade" }),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    /** Line number in a file (1-based) or index in a JSON array / API batch (0-based). */
    line: integer("line"),
    raw: text("raw"),
    reason: text("reason").notNull(),
  },
  (t) => [index("rejected_rows_run_idx").on(t.runId)],
);
