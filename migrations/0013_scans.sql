CREATE TABLE "scans" (
	"id" text PRIMARY KEY NOT NULL,
	"certificate_id" text NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"country" text,
	"region" text,
	"city" text,
	"lat" double precision,
	"lon" double precision,
	"agent" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scan_flags" (
	"id" text PRIMARY KEY NOT NULL,
	"certificate_id" text NOT NULL,
	"kind" text NOT NULL,
	"region_code" text NOT NULL,
	"detail" jsonb NOT NULL,
	"case_id" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "scan_flags_kind_known" CHECK ("scan_flags"."kind" IN ('impossible_travel', 'excess_scans'))
);
--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "scan_flags" ADD CONSTRAINT "scan_flags_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "scan_flags" ADD CONSTRAINT "scan_flags_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "scans_certificate_idx" ON "scans" USING btree ("certificate_id","scanned_at");
--> statement-breakpoint
CREATE UNIQUE INDEX "scan_flags_certificate_kind_key" ON "scan_flags" USING btree ("certificate_id","kind");
--> statement-breakpoint
CREATE INDEX "scan_flags_region_idx" ON "scan_flags" USING btree ("region_code","id");
--> statement-breakpoint
CREATE TABLE "scan_totals" (
	"certificate_id" text PRIMARY KEY NOT NULL,
	"people" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scan_totals" ADD CONSTRAINT "scan_totals_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;
