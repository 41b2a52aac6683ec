import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { importRuns } from "./ingest";
import { products } from "./products";

export const EVENT_TYPES = ["track", "page", "screen", "identify"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One raw analytics event. `message_id` is the sender's idempotency key
 * (Segment messageId, PostHog uuid/$insert_id); it is unique per product so a
 * retried send is stored once.
 */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // No foreign keys on this table (product, run): checking them cost about a
    // quarter of an import's database time. Ingest resolves the product before
    // it writes, and neither products nor runs are ever deleted; code that
    // comes to delete a product must delete its events in the same transaction.
    productId: integer("product_id").notNull(),
    messageId: text("message_id").notNull(),
    timestamp: timestamp("timestamp", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    event: text("event").notNull(),
    type: text("type", { enum: EVENT_TYPES }).notNull().default("track"),
    userId: text("user_id"),
    anonymousId: text("anonymous_id"),
    sessionId: text("session_id"),
    url: text("url"),
    path: text("path"),
    referrer: text("referrer"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    country: text("country"),
    device: text("device"),
    browser: text("browser"),
    os: text("os"),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
    /** Adapter that produced the row (segment, posthog, demo, ...). */
    source: text("source").notNull(),
    runId: integer("run_id"),
  },
  (t) => [
    uniqueIndex("events_product_message_uq").on(t.productId, t.messageId),
    index("events_product_time_idx").on(t.productId, t.timestamp),
    // Migration 0004 recreates it with INCLUDE (user_id, anonymous_id, type) for index-only funnel reads.
    index("events_product_event_time_idx").on(t.productId, t.event, t.timestamp),
  ],
);
export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;

/**
 * Links an anonymous id to the user id it was identified as, so that one
 * person counts once (actor = user id, else the linked user id, else the anonymous id).
 */
export const identities = pgTable(
  "identities",
  {
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    anonymousId: text("anonymous_id").notNull(),
    userId: text("user_id").notNull(),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull(),
    /**
     * True until the session pieces written before the link are repaired to
     * the user id (repairPendingLinks); queries resolve pieces through the
     * pending links, a handful, instead of all of them.
     */
    pending: boolean("pending").notNull().default(true),
    /** When a repair pass first saw the link committed: it is repaired once no transaction older than this runs. */
    seenAt: timestamp("seen_at", { withTimezone: true }),
  },
  // Migration 0003 adds identities_product_anon_cover_idx (product_id, anonymous_id) INCLUDE (user_id).
  (t) => [
    primaryKey({ columns: [t.productId, t.anonymousId] }),
    index("identities_product_user_idx").on(t.productId, t.userId),
    index("identities_pending_idx").on(t.productId, t.anonymousId).where(sql`${t.pending}`),
  ],
);

/**
 * Daily totals from sources that export only aggregates (Plausible CSV).
 * Kept apart from raw events and always labelled "imported totals" where used.
 */
export const importedDailyStats = pgTable(
  "imported_daily_stats",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    /** Which export table, e.g. "visitors", "sources", "pages". */
    table: text("table_name").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    /** Stable key of the dimension values ("" for a table without dimensions). */
    dimensionKey: text("dimension_key").notNull().default(""),
    dimensions: jsonb("dimensions").$type<Record<string, string>>().notNull().default({}),
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull(),
    runId: integer("run_id").references(() => importRuns.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("imported_daily_stats_uq").on(t.productId, t.source, t.table, t.date, t.dimensionKey)],
);
