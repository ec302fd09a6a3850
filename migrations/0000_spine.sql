CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text,
	"role" text NOT NULL,
	"secret_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"label" text,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"party_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"template_version" text NOT NULL,
	"basis" text NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit" text NOT NULL,
	"lot_quantity" numeric(16, 3) NOT NULL,
	"copies" integer DEFAULT 1 NOT NULL,
	"content" jsonb NOT NULL,
	"jwt" text NOT NULL,
	"kid" text NOT NULL,
	"status" text DEFAULT 'valid' NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"revoked_by" text,
	"idempotency_key" text,
	"issued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "certificates_status_known" CHECK ("certificates"."status" IN ('valid', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"product_id" text NOT NULL,
	"site_id" text,
	"code" text NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit" text NOT NULL,
	"certified_quantity" numeric(16, 3) DEFAULT 0 NOT NULL,
	"harvested_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lots_quantity_positive" CHECK ("lots"."quantity" > 0),
	CONSTRAINT "lots_certified_within_quantity" CHECK ("lots"."certified_quantity" >= 0 AND "lots"."certified_quantity" <= "lots"."quantity")
);
--> statement-breakpoint
CREATE TABLE "parties" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"credit_code" text,
	"id_number" text,
	"contact_name" text,
	"phone" text NOT NULL,
	"region_code" text NOT NULL,
	"address" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"gtin" text,
	"unit" text NOT NULL,
	"storage_min_c" double precision,
	"storage_max_c" double precision,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"sealed_private_jwk" text,
	"created_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"address" text,
	"lat" double precision,
	"lon" double precision,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_keys_party_idx" ON "api_keys" USING btree ("party_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_code_key" ON "certificates" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_idempotency_key" ON "certificates" USING btree ("party_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "certificates_party_idx" ON "certificates" USING btree ("party_id","id");--> statement-breakpoint
CREATE INDEX "certificates_lot_idx" ON "certificates" USING btree ("lot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lots_party_code_key" ON "lots" USING btree ("party_id","code");--> statement-breakpoint
CREATE INDEX "lots_party_idx" ON "lots" USING btree ("party_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "parties_credit_code_key" ON "parties" USING btree ("credit_code");--> statement-breakpoint
CREATE INDEX "parties_region_idx" ON "parties" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "products_party_idx" ON "products" USING btree ("party_id","id");--> statement-breakpoint
CREATE INDEX "products_gtin_idx" ON "products" USING btree ("gtin");--> statement-breakpoint
CREATE INDEX "sites_party_idx" ON "sites" USING btree ("party_id","id");