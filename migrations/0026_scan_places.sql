-- The scan page's places are counted as scans are stored, instead of read from the latest thousand scans of the
-- code each time the page is built (most of PostgreSQL's work for an uncached scan of a popular code).
CREATE TABLE "scan_places" (
	"certificate_id" text NOT NULL,
	"country" text NOT NULL,
	"region" text NOT NULL,
	"city" text NOT NULL,
	"people" integer NOT NULL,
	CONSTRAINT "scan_places_certificate_id_country_region_city_pk" PRIMARY KEY("certificate_id","country","region","city")
);
--> statement-breakpoint
ALTER TABLE "scan_places" ADD CONSTRAINT "scan_places_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Every scan by people so far counts, as the running total does.
INSERT INTO "scan_places" ("certificate_id", "country", "region", "city", "people")
SELECT "certificate_id", coalesce("country", ''), coalesce("region", ''), coalesce("city", ''), count(*)
FROM "scans" WHERE "agent" <> 'bot'
GROUP BY 1, 2, 3, 4;
