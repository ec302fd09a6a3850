CREATE TABLE "cold_chain_series" (
	"lot_set" text PRIMARY KEY NOT NULL,
	"stamp" text NOT NULL,
	"readings" integer NOT NULL,
	"min" double precision,
	"max" double precision,
	"first" double precision,
	"last" double precision,
	"points" text
);
--> statement-breakpoint
ALTER TABLE "cold_chain_streams" ADD COLUMN "readings" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "cold_chain_streams" s SET "readings" = (SELECT count(*) FROM "cold_chain_readings" r WHERE r."stream_id" = s."id");
