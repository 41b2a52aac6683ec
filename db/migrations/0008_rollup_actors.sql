-- Each activity rollup row's, first use's and first day's person, resolved once here instead of in every
-- query (as 0007 did for session pieces; later links follow the same pending-link repair).
ALTER TABLE "event_actor_days" ADD COLUMN "actor" text;--> statement-breakpoint
UPDATE "event_actor_days" r SET "actor" = coalesce(nullif(r."user_id", ''), (
  SELECT i."user_id" FROM "identities" i WHERE i."product_id" = r."product_id" AND i."anonymous_id" = r."anonymous_id"
), r."anonymous_id");--> statement-breakpoint
ALTER TABLE "event_actor_days" ALTER COLUMN "actor" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "event_key_first_days" ADD COLUMN "actor" text;--> statement-breakpoint
UPDATE "event_key_first_days" r SET "actor" = coalesce(nullif(r."user_id", ''), (
  SELECT i."user_id" FROM "identities" i WHERE i."product_id" = r."product_id" AND i."anonymous_id" = r."anonymous_id"
), r."anonymous_id");--> statement-breakpoint
ALTER TABLE "event_key_first_days" ALTER COLUMN "actor" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "actor_key_first_days" ADD COLUMN "actor" text;--> statement-breakpoint
UPDATE "actor_key_first_days" r SET "actor" = coalesce(nullif(r."user_id", ''), (
  SELECT i."user_id" FROM "identities" i WHERE i."product_id" = r."product_id" AND i."anonymous_id" = r."anonymous_id"
), r."anonymous_id");--> statement-breakpoint
ALTER TABLE "actor_key_first_days" ALTER COLUMN "actor" SET NOT NULL;--> statement-breakpoint
-- Goals, funnel entrants and adoption read persons by (product, event, day): index-only, with the keys a pending link needs.
DROP INDEX IF EXISTS "event_actor_days_product_event_day_idx";--> statement-breakpoint
CREATE INDEX "event_actor_days_product_event_day_idx" ON "event_actor_days" USING btree ("product_id","event","day") INCLUDE ("actor","user_id","anonymous_id");--> statement-breakpoint
-- New adopters: one index-only probe per person for the first days of their events.
CREATE INDEX "event_key_first_days_product_actor_idx" ON "event_key_first_days" USING btree ("product_id","actor","event") INCLUDE ("first_day");--> statement-breakpoint
-- New users and first-activity cohorts: a person's first day by one index-only probe.
CREATE INDEX "actor_key_first_days_product_actor_idx" ON "actor_key_first_days" USING btree ("product_id","actor") INCLUDE ("first_day");--> statement-breakpoint
ANALYZE "event_actor_days";--> statement-breakpoint
ANALYZE "actor_key_first_days";--> statement-breakpoint
ANALYZE "event_key_first_days";
