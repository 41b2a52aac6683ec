CREATE TABLE "session_pieces" (
	"product_id" integer NOT NULL,
	"day" date NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"anonymous_id" text DEFAULT '' NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"events" integer NOT NULL,
	"pageviews" integer NOT NULL,
	"compacted" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "session_pieces" ADD CONSTRAINT "session_pieces_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_pieces_product_day_idx" ON "session_pieces" USING btree ("product_id","day");--> statement-breakpoint
CREATE INDEX "session_pieces_uncompacted_idx" ON "session_pieces" USING btree ("product_id","day") WHERE not "session_pieces"."compacted";--> statement-breakpoint
-- Backfill from the events already stored (lib/queries/rollups.ts sessionPiecesFrom, over every product).
INSERT INTO "session_pieces" ("product_id", "day", "user_id", "anonymous_id", "start_at", "end_at", "events", "pageviews", "compacted")
SELECT product_id, day, user_id, anonymous_id, min(ts), max(ts), count(*)::int, (count(*) FILTER (WHERE type = 'page'))::int, true
FROM (
  SELECT m.*, sum(m.opens) OVER (PARTITION BY m.product_id, m.day, m.user_id, m.anonymous_id ORDER BY m.ts
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS piece
  FROM (
    SELECT k.*, CASE WHEN k.ts - lag(k.ts) OVER (PARTITION BY k.product_id, k.day, k.user_id, k.anonymous_id
        ORDER BY k.ts) < interval '30 minutes' THEN 0 ELSE 1 END AS opens
    FROM (
      SELECT e.product_id, (e.timestamp AT TIME ZONE p.timezone)::date AS day,
        coalesce(e.user_id, '') AS user_id,
        CASE WHEN e.user_id IS NULL THEN coalesce(e.anonymous_id, '') ELSE '' END AS anonymous_id,
        e.timestamp AS ts, e.type
      FROM "events" e JOIN "products" p ON p.id = e.product_id
      WHERE e.type <> 'identify'
    ) k
  ) m
) n
GROUP BY product_id, day, user_id, anonymous_id, piece;
