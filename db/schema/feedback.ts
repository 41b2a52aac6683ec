import { sql } from "drizzle-orm";
import {
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { importRuns } from "./ingest";
import { products } from "./products";

export const QUESTION_KINDS = ["nps", "csat", "ces", "other"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** One answer to one scored question (or a bare comment) from a survey tool. */
export const surveyResponses = pgTable(
  "survey_responses",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    /** Dedupe key within the source: response id plus question id where one response holds several. */
    externalId: text("external_id").notNull(),
    survey: text("survey"),
    question: text("question"),
    questionKind: text("question_kind", { enum: QUESTION_KINDS }).notNull().default("other"),
    score: doublePrecision("score"),
    scaleMin: integer("scale_min"),
    scaleMax: integer("scale_max"),
    comment: text("comment"),
    /** E-mail or id as the survey tool knows the respondent. */
    respondent: text("respondent"),
    /** Product user id the respondent was linked to, when one matched. */
    userId: text("user_id"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    sentiment: doublePrecision("sentiment"),
    themes: text("themes").array().notNull().default(sql`'{}'::text[]`),
    featureKeys: text("feature_keys").array().notNull().default(sql`'{}'::text[]`),
    runId: integer("run_id").references(() => importRuns.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("survey_responses_uq").on(t.productId, t.source, t.externalId),
    index("survey_responses_product_time_idx").on(t.productId, t.submittedAt),
  ],
);
export type SurveyResponseRow = typeof surveyResponses.$inferSelect;

export const MENTION_SOURCES = ["hn", "reddit", "x", "appstore", "googleplay", "rss"] as const;

/** A post, comment or review about the product on a public channel. */
export const mentions = pgTable(
  "mentions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    externalId: text("external_id").notNull(),
    url: text("url"),
    author: text("author"),
    title: text("title"),
    body: text("body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** Points, likes or upvotes: the source's own measure of attention. */
    engagement: integer("engagement").notNull().default(0),
    /** Star rating for store reviews (1-5). */
    rating: doublePrecision("rating"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    sentiment: doublePrecision("sentiment"),
    themes: text("themes").array().notNull().default(sql`'{}'::text[]`),
    featureKeys: text("feature_keys").array().notNull().default(sql`'{}'::text[]`),
    runId: integer("run_id").references(() => importRuns.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("mentions_uq").on(t.productId, t.source, t.externalId),
    index("mentions_product_time_idx").on(t.productId, t.createdAt),
  ],
);
export type MentionRow = typeof mentions.$inferSelect;
