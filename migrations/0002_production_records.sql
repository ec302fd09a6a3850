CREATE TABLE "lot_tests" (
	"id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"lot_party_id" text NOT NULL,
	"recorded_by" text,
	"recorded_by_key" text NOT NULL,
	"kind" text NOT NULL,
	"method" text NOT NULL,
	"tested_at" timestamp with time zone NOT NULL,
	"lab" text,
	"report_no" text,
	"retest_of" text,
	"operator" text,
	"sample" jsonb,
	"results" jsonb NOT NULL,
	"record" jsonb NOT NULL,
	"verdict" text NOT NULL,
	"analyte_verdicts" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lot_tests_verdict_known" CHECK ("lot_tests"."verdict" IN ('pass', 'fail', 'undetermined'))
);
--> statement-breakpoint
CREATE TABLE "production_records" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"party_id" text NOT NULL,
	"site_id" text,
	"lot_id" text,
	"occurred_on" date NOT NULL,
	"data" jsonb NOT NULL,
	"root_id" text NOT NULL,
	"corrects" text,
	"retracted" boolean DEFAULT false NOT NULL,
	"correction_reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "production_records_kind_known" CHECK ("production_records"."kind" IN ('application', 'harvest')),
	CONSTRAINT "production_records_placed" CHECK ("production_records"."site_id" IS NOT NULL OR "production_records"."lot_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "reference_versions" (
	"seq" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reference_versions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version" text NOT NULL,
	"effective_from" date NOT NULL,
	"document" jsonb NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"test_id" text NOT NULL,
	"content_type" text NOT NULL,
	"filename" text,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lot_tests" ADD CONSTRAINT "lot_tests_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_tests" ADD CONSTRAINT "lot_tests_lot_party_id_parties_id_fk" FOREIGN KEY ("lot_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_tests" ADD CONSTRAINT "lot_tests_recorded_by_parties_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_tests" ADD CONSTRAINT "lot_tests_retest_of_lot_tests_id_fk" FOREIGN KEY ("retest_of") REFERENCES "public"."lot_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_records" ADD CONSTRAINT "production_records_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_records" ADD CONSTRAINT "production_records_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_records" ADD CONSTRAINT "production_records_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_records" ADD CONSTRAINT "production_records_corrects_production_records_id_fk" FOREIGN KEY ("corrects") REFERENCES "public"."production_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_attachments" ADD CONSTRAINT "test_attachments_test_id_lot_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."lot_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_tests_lot_idx" ON "lot_tests" USING btree ("lot_id","id");--> statement-breakpoint
CREATE INDEX "lot_tests_party_idx" ON "lot_tests" USING btree ("lot_party_id","id");--> statement-breakpoint
CREATE INDEX "lot_tests_recorder_idx" ON "lot_tests" USING btree ("recorded_by","id");--> statement-breakpoint
CREATE INDEX "lot_tests_failed_idx" ON "lot_tests" USING btree ("lot_id") WHERE "lot_tests"."verdict" = 'fail';--> statement-breakpoint
CREATE UNIQUE INDEX "production_records_corrects_key" ON "production_records" USING btree ("corrects");--> statement-breakpoint
CREATE INDEX "production_records_party_root_idx" ON "production_records" USING btree ("party_id","kind","root_id");--> statement-breakpoint
CREATE INDEX "production_records_lot_idx" ON "production_records" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "production_records_site_idx" ON "production_records" USING btree ("site_id","occurred_on");--> statement-breakpoint
CREATE UNIQUE INDEX "reference_versions_version_key" ON "reference_versions" USING btree ("version");--> statement-breakpoint
CREATE INDEX "test_attachments_test_idx" ON "test_attachments" USING btree ("test_id","id");