import { date, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { products } from "./products";

/**
 * Activity rollup maintained at ingest: per product, local day (product zone),
 * event name and raw actor key, the number of events and of pageviews.
 * Identify events are not activity and are not counted. The key is the
 * sender's ids, not the resolved actor: `user_id` when the event had one
 * (then `anonymous_id` is ''), else `anonymous_id` (and `user_id` is ''), so
 * an identify that arrives later is applied at query time through
 * `identities`, exactly as the raw-event queries do.
 */
export const eventActorDays = pgTable(
  "event_actor_days",
  {
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    event: text("event").notNull(),
    userId: text("user_id").notNull().default(""),
    anonymousId: text("anonymous_id").notNull().default(""),
    events: integer("events").notNull(),
    pageviews: integer("pageviews").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.day, t.event, t.userId, t.anonymousId] }),
    index("event_actor_days_product_event_day_idx").on(t.productId, t.event, t.day),
  ],
);

/**
 * First local day each raw actor key (same key as `event_actor_days`) was
 * active, maintained at ingest. A person's first day is the earliest over the
 * keys that resolve to them through `identities`, which new users and
 * first-activity retention cohorts look up without scanning the history.
 */
export const actorKeyFirstDays = pgTable(
  "actor_key_first_days",
  {
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().default(""),
    anonymousId: text("anonymous_id").notNull().default(""),
    firstDay: date("first_day", { mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.userId, t.anonymousId] }),
    index("actor_key_first_days_product_day_idx").on(t.productId, t.firstDay),
  ],
);
