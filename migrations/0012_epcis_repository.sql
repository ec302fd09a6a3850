ALTER TABLE "events" ADD COLUMN "event_id" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "captured_by" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "capture_id" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "context" jsonb;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "epcs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "input_epcs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "output_epcs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "epc_classes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "input_epc_classes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "output_epc_classes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- The platform's events recorded before this migration: their lots, as quantity classes, become matchable.
UPDATE "events" SET
	"epc_classes" = ARRAY(SELECT DISTINCT q->>'epcClass' FROM jsonb_array_elements("quantity_list") q WHERE q ? 'epcClass'),
	"input_epc_classes" = ARRAY(SELECT DISTINCT q->>'epcClass' FROM jsonb_array_elements("input_quantity_list") q WHERE q ? 'epcClass'),
	"output_epc_classes" = ARRAY(SELECT DISTINCT q->>'epcClass' FROM jsonb_array_elements("output_quantity_list") q WHERE q ? 'epcClass');--> statement-breakpoint
CREATE TABLE "capture_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text,
	"key_id" text NOT NULL,
	"error_behaviour" text NOT NULL,
	"running" boolean DEFAULT false NOT NULL,
	"success" boolean NOT NULL,
	"event_count" integer NOT NULL,
	"captured_count" integer NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "capture_jobs_error_behaviour_known" CHECK ("capture_jobs"."error_behaviour" IN ('rollback', 'proceed'))
);
--> statement-breakpoint
ALTER TABLE "capture_jobs" ADD CONSTRAINT "capture_jobs_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_captured_by_parties_id_fk" FOREIGN KEY ("captured_by") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "capture_jobs_party_idx" ON "capture_jobs" USING btree ("party_id","id");--> statement-breakpoint
DROP INDEX "events_hash_id_key";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_hash_id_key" UNIQUE NULLS NOT DISTINCT("hash_id","captured_by");--> statement-breakpoint
CREATE INDEX "events_event_id_idx" ON "events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "events_captured_by_idx" ON "events" USING btree ("captured_by","id");--> statement-breakpoint
CREATE INDEX "events_record_time_idx" ON "events" USING btree ("record_time");--> statement-breakpoint
CREATE INDEX "events_epcs_idx" ON "events" USING gin ("epcs");--> statement-breakpoint
CREATE INDEX "events_input_epcs_idx" ON "events" USING gin ("input_epcs");--> statement-breakpoint
CREATE INDEX "events_output_epcs_idx" ON "events" USING gin ("output_epcs");--> statement-breakpoint
CREATE INDEX "events_epc_classes_idx" ON "events" USING gin ("epc_classes");--> statement-breakpoint
CREATE INDEX "events_input_epc_classes_idx" ON "events" USING gin ("input_epc_classes");--> statement-breakpoint
CREATE INDEX "events_output_epc_classes_idx" ON "events" USING gin ("output_epc_classes");--> statement-breakpoint
CREATE INDEX "events_parent_id_idx" ON "events" USING btree ("parent_id");
