CREATE TABLE "event_key_first_days" (
	"product_id" integer NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"anonymous_id" text DEFAULT '' NOT NULL,
	"event" text NOT NULL,
	"first_day" date NOT NULL,
	CONSTRAINT "event_key_first_days_product_id_user_id_anonymous_id_event_pk" PRIMARY KEY("product_id","user_id","anonymous_id","event") INCLUDE ("first_day")
);
--> statement-breakpoint
-- Backfill from the activity rollup: each key's first day per event name.
INSERT INTO "event_key_first_days" ("product_id", "user_id", "anonymous_id", "event", "first_day")
SELECT "product_id", "user_id", "anonymous_id", "event", min("day") FROM "event_actor_days"
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Covering indexes, so that the probes and range reads of the metrics are index-only scans:
-- funnel entrants, goal conversions and adoption read the keys of some events' days (their counts
-- and first instants stay out of the index: every upsert of a day's counts would then rewrite it);
-- new users and new adopters probe first days per key.
DROP INDEX IF EXISTS "event_actor_days_product_event_day_idx";--> statement-breakpoint
CREATE INDEX "event_actor_days_product_event_day_idx" ON "event_actor_days" USING btree ("product_id","event","day") INCLUDE ("user_id","anonymous_id");--> statement-breakpoint
ALTER TABLE "actor_key_first_days" DROP CONSTRAINT "actor_key_first_days_product_id_user_id_anonymous_id_pk";--> statement-breakpoint
ALTER TABLE "actor_key_first_days" ADD CONSTRAINT "actor_key_first_days_product_id_user_id_anonymous_id_pk" PRIMARY KEY("product_id","user_id","anonymous_id") INCLUDE ("first_day");--> statement-breakpoint
DROP INDEX IF EXISTS "actor_key_first_days_product_day_idx";--> statement-breakpoint
CREATE INDEX "actor_key_first_days_product_day_idx" ON "actor_key_first_days" USING btree ("product_id","first_day") INCLUDE ("user_id","anonymous_id");
--> statement-breakpoint
-- Statistics now: adoption probes this table by index, and a plan made without them can scan it per probe.
ANALYZE "event_key_first_days";
