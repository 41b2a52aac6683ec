ALTER TABLE "actor_key_first_days" ADD COLUMN "weeks_monday" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "actor_key_first_days" ADD COLUMN "weeks_sunday" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "event_actor_days" ADD COLUMN "first_at" timestamp with time zone;--> statement-breakpoint
-- Backfill: both rollups recomputed from the events already stored, as
-- rebuildEventRollups (lib/queries/rollups.ts) does for one product.
DELETE FROM "event_actor_days";--> statement-breakpoint
INSERT INTO "event_actor_days" ("product_id", "day", "event", "user_id", "anonymous_id", "events", "pageviews", "first_at")
SELECT e.product_id, (e.timestamp AT TIME ZONE p.timezone)::date, e.event,
  coalesce(e.user_id, ''), CASE WHEN e.user_id IS NULL THEN coalesce(e.anonymous_id, '') ELSE '' END,
  count(*)::int, (count(*) FILTER (WHERE e.type = 'page'))::int, min(e.timestamp)
FROM "events" e JOIN "products" p ON p.id = e.product_id
WHERE e.type <> 'identify'
GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
ALTER TABLE "event_actor_days" ALTER COLUMN "first_at" SET NOT NULL;--> statement-breakpoint
-- Bit n of weeks_monday / weeks_sunday: active in the n-th Monday / Sunday week (n < 12) after the first day's.
DELETE FROM "actor_key_first_days";--> statement-breakpoint
INSERT INTO "actor_key_first_days" ("product_id", "user_id", "anonymous_id", "first_day", "weeks_monday", "weeks_sunday")
SELECT k.product_id, k.user_id, k.anonymous_id, k.first_day,
  bit_or(CASE WHEN ((k.day - (extract(isodow FROM k.day)::int - 1)) - (k.first_day - (extract(isodow FROM k.first_day)::int - 1))) < 84
    THEN 1 << (((k.day - (extract(isodow FROM k.day)::int - 1)) - (k.first_day - (extract(isodow FROM k.first_day)::int - 1))) / 7) ELSE 0 END)::int2,
  bit_or(CASE WHEN ((k.day - extract(dow FROM k.day)::int) - (k.first_day - extract(dow FROM k.first_day)::int)) < 84
    THEN 1 << (((k.day - extract(dow FROM k.day)::int) - (k.first_day - extract(dow FROM k.first_day)::int)) / 7) ELSE 0 END)::int2
FROM (
  SELECT d.*, min(d.day) OVER (PARTITION BY d.product_id, d.user_id, d.anonymous_id) AS first_day
  FROM (SELECT DISTINCT product_id, user_id, anonymous_id, day FROM "event_actor_days") d
) k
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Funnels read their later steps' events by (product, event, time): with the sender ids and
-- the type in the index, PostgreSQL reads them from the index alone. Same name and key as the
-- index of the Drizzle schema (drizzle-kit cannot express INCLUDE), so later diffs leave it alone.
DROP INDEX IF EXISTS "events_product_event_time_idx";--> statement-breakpoint
CREATE INDEX "events_product_event_time_idx" ON "events" USING btree ("product_id","event","timestamp") INCLUDE ("user_id","anonymous_id","type");
