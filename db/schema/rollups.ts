import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { products } from "./products";

/**
 * Activity rollup maintained at ingest: per product, local day (product zone),
 * event name and raw actor key, the number of events and of pageviews.
 * Identify events are not activity and are not counted. The key is the
 * sender's ids: `user_id` when the event had one (then `anonymous_id` is
 * ''), else `anonymous_id` (and `user_id` is ''); `actor` stores the person
 * they resolved to, and an identify that arrives later is applied at query
 * time through the pending links until it is repaired into `actor`. `first_at` is the
 * earliest of those events (a funnel's entrants are each key's first step-1
 * event of a range of whole local days).
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
    firstAt: timestamp("first_at", { withTimezone: true }).notNull(),
    /**
     * The person of the row's key as resolved when the row was first written
     * (or repaired), as on `session_pieces`: queries take a pending link's
     * user id first (lib/queries/stored-actor.ts).
     */
    actor: text("actor").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.day, t.event, t.userId, t.anonymousId] }),
    // Migration 0008 recreates it with INCLUDE (actor, user_id, anonymous_id) for index-only reads of persons.
    index("event_actor_days_product_event_day_idx").on(t.productId, t.event, t.day),
  ],
);

/**
 * First local day each raw actor key (same key as `event_actor_days`) was
 * active, maintained at ingest. A person's first day is the earliest over the
 * keys that resolve to them (`actor`, plus the keys of their pending links), which new users and
 * first-activity retention cohorts look up without scanning the history.
 * `weeks_monday` / `weeks_sunday`: bit n is set when the key was active in
 * the n-th week (n < 12, Monday / Sunday weeks) after the week of its first
 * day, so bit 0 always is; 12-week retention reads one row per key instead of
 * its activity (lib/queries/retention.ts). Kept exact when older events arrive
 * later: the upsert re-bases both masks on the earlier first day.
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
    weeksMonday: smallint("weeks_monday").notNull().default(0),
    weeksSunday: smallint("weeks_sunday").notNull().default(0),
    /** The key's person, stored and repaired as on `event_actor_days` (lib/queries/stored-actor.ts). */
    actor: text("actor").notNull(),
  },
  (t) => [
    // Migrations 0006 and 0008 recreate these with INCLUDE (first_day) and (user_id, anonymous_id): index-only probes.
    primaryKey({ columns: [t.productId, t.userId, t.anonymousId] }),
    index("actor_key_first_days_product_day_idx").on(t.productId, t.firstDay),
    index("actor_key_first_days_product_actor_idx").on(t.productId, t.actor),
  ],
);

/**
 * First local day each raw actor key (same key as `event_actor_days`) sent
 * each event name, maintained at ingest from the rows `event_actor_days`
 * receives (the earlier day wins when older events arrive later). Adoption
 * reads its period's weeks from `event_actor_days` and asks this table only
 * whether an adopter used a feature's events before those weeks (new
 * adopters), one index probe per person (by `actor`) instead of the whole
 * history.
 */
export const eventKeyFirstDays = pgTable(
  "event_key_first_days",
  {
    // No foreign key, as on `events` (migration 0005): a check per inserted row costs ingest a third
    // of this table's upkeep, and nothing deletes products (deleting one must delete these rows too).
    productId: integer("product_id").notNull(),
    userId: text("user_id").notNull().default(""),
    anonymousId: text("anonymous_id").notNull().default(""),
    event: text("event").notNull(),
    firstDay: date("first_day", { mode: "string" }).notNull(),
    /** The key's person, stored and repaired as on `event_actor_days` (lib/queries/stored-actor.ts). */
    actor: text("actor").notNull(),
  },
  // Migrations 0006 and 0008 give both indexes INCLUDE (first_day): the probes are index-only scans.
  (t) => [
    primaryKey({ columns: [t.productId, t.userId, t.anonymousId, t.event] }),
    index("event_key_first_days_product_actor_idx").on(t.productId, t.actor, t.event),
  ],
);

/**
 * Session pieces maintained at ingest: for one raw actor key (same key as
 * `event_actor_days`) and one local day, a run of its events with gaps under
 * 30 minutes, as first and last event time, event count and pageview count.
 * Pieces never cross a local midnight, and several pieces may cover one real
 * session (events of one key that arrived in different batches, or keys that
 * an identify merges later). Sessions are rebuilt at query time by taking
 * each piece's actor (`actor`, or a pending link's user id) and merging that actor's pieces
 * whose gap is under 30 minutes, which gives exactly the sessions of the raw
 * events (see lib/queries/sessions.ts). `compacted` marks pieces already
 * merged per key and day by `compactSessionPieces`; new pieces are not, and
 * the partial index finds the days to compact.
 */
export const sessionPieces = pgTable(
  "session_pieces",
  {
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    userId: text("user_id").notNull().default(""),
    anonymousId: text("anonymous_id").notNull().default(""),
    startAt: timestamp("start_at", { withTimezone: true }).notNull(),
    endAt: timestamp("end_at", { withTimezone: true }).notNull(),
    events: integer("events").notNull(),
    pageviews: integer("pageviews").notNull(),
    compacted: boolean("compacted").notNull().default(false),
    /**
     * The person the piece belongs to as resolved when it was written (or
     * compacted, or repaired): user id, else the user id its anonymous id is
     * linked to, else the anonymous id. A link written since may not be
     * applied yet; it is then `pending` in `identities`, and queries take the
     * person from the pending links first (lib/queries/stored-actor.ts).
     */
    actor: text("actor").notNull(),
  },
  (t) => [
    index("session_pieces_product_day_idx").on(t.productId, t.day),
    index("session_pieces_uncompacted_idx").on(t.productId, t.day).where(sql`not ${t.compacted}`),
  ],
);
