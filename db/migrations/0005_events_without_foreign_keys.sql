ALTER TABLE "events" DROP CONSTRAINT IF EXISTS "events_product_id_products_id_fk";
--> statement-breakpoint
ALTER TABLE "events" DROP CONSTRAINT IF EXISTS "events_run_id_import_runs_id_fk";
