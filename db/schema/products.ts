import { sql } from "drizzle-orm";
import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** A product the company ships; every other table hangs off one. */
export const products = pgTable("products", {
  id: serial("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  /** IANA zone used to bucket days and weeks, e.g. "Europe/Berlin". */
  timezone: text("timezone").notNull().default("UTC"),
  weekStart: text("week_start", { enum: ["monday", "sunday"] })
    .notNull()
    .default("monday"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;

/** Event filter on a property: `{ property: "plan", op: "eq", value: "pro" }`. */
export interface PropertyFilter {
  property: string;
  op: "eq" | "neq" | "contains" | "exists";
  value?: string | number | boolean;
}

/** A feature is "used" when an actor fires one of its event names (matching the filters). */
export const features = pgTable(
  "features",
  {
    id: serial("id").primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    eventNames: text("event_names").array().notNull().default(sql`'{}'::text[]`),
    filters: jsonb("filters").$type<PropertyFilter[]>().notNull().default([]),
    /** Words that link a comment or mention to this feature. */
    keywords: text("keywords").array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("features_product_key_uq").on(t.productId, t.key)],
);
export type Feature = typeof features.$inferSelect;

/** Configured feedback themes ("pricing", "onboarding") and the words that tag them. */
export const themes = pgTable(
  "themes",
  {
    id: serial("id").primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keywords: text("keywords").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [uniqueIndex("themes_product_name_uq").on(t.productId, t.name)],
);

/** Release markers and other notes drawn on trend charts. */
export const annotations = pgTable(
  "annotations",
  {
    id: serial("id").primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    kind: text("kind", { enum: ["release", "incident", "campaign", "note"] })
      .notNull()
      .default("release"),
    title: text("title").notNull(),
    description: text("description"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("annotations_product_time_idx").on(t.productId, t.occurredAt)],
);

/** Target for one KPI per period kind, e.g. WAU >= 5000 per week. */
export const kpiTargets = pgTable(
  "kpi_targets",
  {
    id: serial("id").primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    period: text("period", { enum: ["day", "week", "month"] })
      .notNull()
      .default("week"),
    value: doublePrecision("value").notNull(),
    /** Whether reaching the target means being above it (most KPIs) or below it (bounce rate). */
    direction: text("direction", { enum: ["at_least", "at_most"] })
      .notNull()
      .default("at_least"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("kpi_targets_product_metric_uq").on(t.productId, t.metric, t.period)],
);

export interface FunnelDefinition {
  steps: { event: string; filters?: PropertyFilter[] }[];
  windowSeconds: number;
  mode: "sequential" | "strict" | "any";
  exclusions?: string[];
  breakdown?: string;
}

export const savedFunnels = pgTable(
  "saved_funnels",
  {
    id: serial("id").primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    definition: jsonb("definition").$type<FunnelDefinition>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("saved_funnels_product_name_uq").on(t.productId, t.name)],
);
