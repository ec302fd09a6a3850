CREATE TABLE "case_steps" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"seq" integer NOT NULL,
	"step" text NOT NULL,
	"on" date NOT NULL,
	"officer" text NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note" text,
	"next_deadline" date,
	"recorded_by" text,
	"recorded_by_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_steps_step_known" CHECK ("case_steps"."step" IN ('verify', 'file', 'decline_filing', 'penalize', 'decline_penalty', 'close'))
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"region_code" text NOT NULL,
	"source" text NOT NULL,
	"test_id" text,
	"flag_id" text,
	"stage" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_by_key" text NOT NULL,
	"due_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"summary" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cases_source_known" CHECK ("cases"."source" IN ('failed_test', 'flag')),
	CONSTRAINT "cases_source_ref" CHECK (("cases"."source" = 'failed_test' AND "cases"."test_id" IS NOT NULL) OR ("cases"."source" = 'flag' AND "cases"."flag_id" IS NOT NULL)),
	CONSTRAINT "cases_stage_known" CHECK ("cases"."stage" IN ('open', 'verified', 'filed', 'not_filed', 'penalized', 'not_penalized', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "recalls" (
	"id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"region_code" text NOT NULL,
	"reason" text NOT NULL,
	"scope" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"recalled_at" timestamp with time zone NOT NULL,
	"recalled_by" text,
	"recalled_by_key" text NOT NULL,
	"affected_lots" integer NOT NULL,
	"affected_certificates" integer NOT NULL,
	"lifted_at" timestamp with time zone,
	"lift_reason" text,
	"lifted_by" text,
	"lifted_by_key" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recalls_status_known" CHECK ("recalls"."status" IN ('active', 'lifted')),
	CONSTRAINT "recalls_scope_known" CHECK ("recalls"."scope" IN ('lot_and_descendants')),
	CONSTRAINT "recalls_lift_complete" CHECK (("recalls"."status" = 'active') = ("recalls"."lifted_at" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_recorded_by_parties_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_test_id_lot_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."lot_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recalls" ADD CONSTRAINT "recalls_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recalls" ADD CONSTRAINT "recalls_recalled_by_parties_id_fk" FOREIGN KEY ("recalled_by") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recalls" ADD CONSTRAINT "recalls_lifted_by_parties_id_fk" FOREIGN KEY ("lifted_by") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_steps_case_seq_key" ON "case_steps" USING btree ("case_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_test_key" ON "cases" USING btree ("test_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_flag_key" ON "cases" USING btree ("flag_id");--> statement-breakpoint
CREATE INDEX "cases_region_idx" ON "cases" USING btree ("region_code","id");--> statement-breakpoint
CREATE INDEX "cases_due_idx" ON "cases" USING btree ("due_at") WHERE "cases"."closed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "recalls_active_lot_idx" ON "recalls" USING btree ("lot_id") WHERE "recalls"."status" = 'active';--> statement-breakpoint
CREATE INDEX "recalls_lot_idx" ON "recalls" USING btree ("lot_id","recalled_at");--> statement-breakpoint
CREATE INDEX "recalls_region_idx" ON "recalls" USING btree ("region_code","id");