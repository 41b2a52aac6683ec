CREATE TABLE "actor_key_first_days" (
	"product_id" integer NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"anonymous_id" text DEFAULT '' NOT NULL,
	"first_day" date NOT NULL,
	CONSTRAINT "actor_key_first_days_product_id_user_id_anonymous_id_pk" PRIMARY KEY("product_id","user_id","anonymous_id")
);
--> statement-breakpoint
CREATE TABLE "event_actor_days" (
	"product_id" integer NOT NULL,
	"day" date NOT NULL,
	"event" text NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"anonymous_id" text DEFAULT '' NOT NULL,
	"events" integer NOT NULL,
	"pageviews" integer NOT NULL,
	CONSTRAINT "event_actor_days_product_id_day_event_user_id_anonymous_id_pk" PRIMARY KEY("product_id","day","event","user_id","anonymous_id")
);
--> statement-breakpoint
ALTER TABLE "actor_key_first_days" ADD CONSTRAINT "actor_key_first_days_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_actor_days" ADD CONSTRAINT "event_actor_days_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "actor_key_first_days_product_day_idx" ON "actor_key_first_days" USING btree ("product_id","first_day");--> statement-breakpoint
CREATE INDEX "event_actor_days_product_event_day_idx" ON "event_actor_days" USING btree ("product_id","event","day");--> statement-breakpoint
-- Backfill from events stored before the rollups existed; later events are added at ingest.
INSERT INTO "event_actor_days" ("product_id", "day", "event", "user_id", "anonymous_id", "events", "pageviews")
SELECT e.product_id, (e.timestamp AT TIME ZONE p.timezone)::date, e.event, coalesce(e.user_id, ''),
  CASE WHEN e.user_id IS NULL THEN coalesce(e.anonymous_id, '') ELSE '' END,
  count(*)::int, (count(*) FILTER (WHERE e.type = 'page'))::int
FROM "events" e JOIN "products" p ON p.id = e.product_id
WHERE e.type <> 'identify'
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO "actor_key_first_days" ("product_id", "user_id", "anonymous_id", "first_day")
SELECT product_id, user_id, anonymous_id, min(day) FROM "event_actor_days" GROUP BY 1, 2, 3;
