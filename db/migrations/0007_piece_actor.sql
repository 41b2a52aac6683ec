-- Links existing today are applied to every piece below, so none of them is pending.
ALTER TABLE "identities" ADD COLUMN "pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "identities" ALTER COLUMN "pending" SET DEFAULT true;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "seen_at" timestamp with time zone;--> statement-breakpoint
-- Each session piece's person, resolved once here instead of in every query.
ALTER TABLE "session_pieces" ADD COLUMN "actor" text;--> statement-breakpoint
UPDATE "session_pieces" r SET "actor" = coalesce(nullif(r."user_id", ''), (
  SELECT i."user_id" FROM "identities" i WHERE i."product_id" = r."product_id" AND i."anonymous_id" = r."anonymous_id"
), r."anonymous_id");--> statement-breakpoint
ALTER TABLE "session_pieces" ALTER COLUMN "actor" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "identities_pending_idx" ON "identities" USING btree ("product_id","anonymous_id") WHERE "identities"."pending";--> statement-breakpoint
ANALYZE "session_pieces";
