-- Resolving anonymous ids to user ids is the join every activity query makes: with
-- user_id in the index, PostgreSQL reads a product's links from the index alone
-- (hash join) or probes it without touching the table (nested loop). Kept outside the
-- Drizzle schema because drizzle-kit cannot express INCLUDE.
CREATE INDEX IF NOT EXISTS "identities_product_anon_cover_idx" ON "identities" USING btree ("product_id","anonymous_id") INCLUDE ("user_id");
