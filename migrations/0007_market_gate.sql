CREATE TABLE "certificate_receipts" (
	"certificate_id" text PRIMARY KEY NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"received_quantity" numeric(16, 3) DEFAULT 0 NOT NULL,
	CONSTRAINT "certificate_receipts_within_quantity" CHECK ("certificate_receipts"."received_quantity" >= 0 AND "certificate_receipts"."received_quantity" <= "certificate_receipts"."quantity")
);
--> statement-breakpoint
CREATE TABLE "market_flags" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"market_id" text NOT NULL,
	"market_region_code" text NOT NULL,
	"origin_region_code" text,
	"certificate_id" text,
	"certificate_code" text,
	"detail" jsonb NOT NULL,
	"recorded_by_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "market_flags_kind_known" CHECK ("market_flags"."kind" IN ('quantity_exceeded'))
);
--> statement-breakpoint
CREATE TABLE "market_receipts" (
	"id" text PRIMARY KEY NOT NULL,
	"market_id" text NOT NULL,
	"seller_id" text NOT NULL,
	"seller_name" text NOT NULL,
	"seller_credit_code" text,
	"seller_phone" text,
	"certificate_id" text,
	"certificate_code" text,
	"rapid_test_id" text,
	"lot_id" text,
	"product_name" text NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit" text NOT NULL,
	"certificate_quantity" numeric(16, 3),
	"voucher_no" text,
	"decision" text NOT NULL,
	"reason" text,
	"proof" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"recorded_by_key" text NOT NULL,
	CONSTRAINT "market_receipts_decision_known" CHECK ("market_receipts"."decision" IN ('accept', 'hold', 'reject')),
	CONSTRAINT "market_receipts_reason_given" CHECK ("market_receipts"."decision" = 'accept' OR "market_receipts"."reason" IS NOT NULL),
	CONSTRAINT "market_receipts_proof_known" CHECK ("market_receipts"."proof" IN ('certificate', 'rapid_test', 'none')),
	CONSTRAINT "market_receipts_proof_matches" CHECK (("market_receipts"."proof" = 'certificate') = ("market_receipts"."certificate_id" IS NOT NULL) AND ("market_receipts"."proof" <> 'rapid_test' OR "market_receipts"."rapid_test_id" IS NOT NULL)),
	CONSTRAINT "market_receipts_accept_has_proof" CHECK ("market_receipts"."decision" <> 'accept' OR "market_receipts"."proof" <> 'none'),
	CONSTRAINT "market_receipts_quantity_positive" CHECK ("market_receipts"."quantity" > 0),
	CONSTRAINT "market_receipts_certificate_quantity" CHECK (("market_receipts"."certificate_id" IS NULL) = ("market_receipts"."certificate_quantity" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "market_sellers" (
	"id" text PRIMARY KEY NOT NULL,
	"market_id" text NOT NULL,
	"identity" text NOT NULL,
	"name" text NOT NULL,
	"credit_code" text,
	"id_number" text,
	"phone" text,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "certificate_receipts" ADD CONSTRAINT "certificate_receipts_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_flags" ADD CONSTRAINT "market_flags_market_id_parties_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_flags" ADD CONSTRAINT "market_flags_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_receipts" ADD CONSTRAINT "market_receipts_market_id_parties_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_receipts" ADD CONSTRAINT "market_receipts_seller_id_market_sellers_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."market_sellers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_receipts" ADD CONSTRAINT "market_receipts_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_receipts" ADD CONSTRAINT "market_receipts_rapid_test_id_lot_tests_id_fk" FOREIGN KEY ("rapid_test_id") REFERENCES "public"."lot_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_receipts" ADD CONSTRAINT "market_receipts_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_sellers" ADD CONSTRAINT "market_sellers_market_id_parties_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_sessions" ADD CONSTRAINT "market_sessions_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "market_flags_market_region_idx" ON "market_flags" USING btree ("market_region_code","id");--> statement-breakpoint
CREATE INDEX "market_flags_origin_region_idx" ON "market_flags" USING btree ("origin_region_code","id");--> statement-breakpoint
CREATE INDEX "market_flags_certificate_idx" ON "market_flags" USING btree ("certificate_id");--> statement-breakpoint
CREATE INDEX "market_receipts_market_idx" ON "market_receipts" USING btree ("market_id","received_at","id");--> statement-breakpoint
CREATE INDEX "market_receipts_certificate_idx" ON "market_receipts" USING btree ("certificate_id");--> statement-breakpoint
CREATE INDEX "market_receipts_seller_idx" ON "market_receipts" USING btree ("seller_id");--> statement-breakpoint
CREATE UNIQUE INDEX "market_sellers_identity_key" ON "market_sellers" USING btree ("market_id","identity");--> statement-breakpoint
CREATE INDEX "market_sessions_key_idx" ON "market_sessions" USING btree ("key_id");