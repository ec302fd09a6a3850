CREATE TABLE "event_lots" (
	"lot_id" text NOT NULL,
	"event_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "event_lots_lot_id_event_id_pk" PRIMARY KEY("lot_id","event_id"),
	CONSTRAINT "event_lots_role_known" CHECK ("event_lots"."role" IN ('input', 'output', 'object'))
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"hash_id" text NOT NULL,
	"type" text NOT NULL,
	"action" text,
	"biz_step" text,
	"disposition" text,
	"event_time" timestamp with time zone NOT NULL,
	"event_time_zone_offset" text NOT NULL,
	"read_point" text,
	"biz_location" text,
	"recorded_by" text,
	"source_list" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"destination_list" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"quantity_list" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"input_quantity_list" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"output_quantity_list" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"certification_info" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"event" jsonb NOT NULL,
	"record_time" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lot_balances" (
	"lot_id" text PRIMARY KEY NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"consumed_quantity" numeric(16, 3) DEFAULT 0 NOT NULL,
	"package_weight_kg" numeric(16, 3),
	CONSTRAINT "lot_balances_consumed_within_quantity" CHECK ("lot_balances"."consumed_quantity" >= 0 AND "lot_balances"."consumed_quantity" <= "lot_balances"."quantity"),
	CONSTRAINT "lot_balances_package_weight_positive" CHECK ("lot_balances"."package_weight_kg" IS NULL OR "lot_balances"."package_weight_kg" > 0)
);
--> statement-breakpoint
CREATE TABLE "lot_links" (
	"parent_lot_id" text NOT NULL,
	"child_lot_id" text NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"kind" text NOT NULL,
	"event_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lot_links_parent_lot_id_child_lot_id_pk" PRIMARY KEY("parent_lot_id","child_lot_id"),
	CONSTRAINT "lot_links_kind_known" CHECK ("lot_links"."kind" IN ('split', 'merge', 'repack', 'transform', 'transfer')),
	CONSTRAINT "lot_links_quantity_nonnegative" CHECK ("lot_links"."quantity" >= 0),
	CONSTRAINT "lot_links_not_self" CHECK ("lot_links"."parent_lot_id" <> "lot_links"."child_lot_id")
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"from_party_id" text NOT NULL,
	"from_site_id" text,
	"to_party_id" text NOT NULL,
	"to_site_id" text,
	"quantity" numeric(16, 3) NOT NULL,
	"unit" text NOT NULL,
	"lot_quantity" numeric(16, 3) NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"shipped_at" timestamp with time zone NOT NULL,
	"ship_event_id" text NOT NULL,
	"received_at" timestamp with time zone,
	"receive_event_id" text,
	"received_lot_id" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "shipments_status_known" CHECK ("shipments"."status" IN ('pending', 'received')),
	CONSTRAINT "shipments_quantity_positive" CHECK ("shipments"."quantity" > 0 AND "shipments"."lot_quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "event_lots" ADD CONSTRAINT "event_lots_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_lots" ADD CONSTRAINT "event_lots_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_recorded_by_parties_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_balances" ADD CONSTRAINT "lot_balances_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_links" ADD CONSTRAINT "lot_links_parent_lot_id_lots_id_fk" FOREIGN KEY ("parent_lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_links" ADD CONSTRAINT "lot_links_child_lot_id_lots_id_fk" FOREIGN KEY ("child_lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_links" ADD CONSTRAINT "lot_links_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_from_party_id_parties_id_fk" FOREIGN KEY ("from_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_from_site_id_sites_id_fk" FOREIGN KEY ("from_site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_to_party_id_parties_id_fk" FOREIGN KEY ("to_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_to_site_id_sites_id_fk" FOREIGN KEY ("to_site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_ship_event_id_events_id_fk" FOREIGN KEY ("ship_event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_receive_event_id_events_id_fk" FOREIGN KEY ("receive_event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_received_lot_id_lots_id_fk" FOREIGN KEY ("received_lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_lots_event_idx" ON "event_lots" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_hash_id_key" ON "events" USING btree ("hash_id");--> statement-breakpoint
CREATE INDEX "events_recorded_by_idx" ON "events" USING btree ("recorded_by","id");--> statement-breakpoint
CREATE INDEX "events_biz_step_time_idx" ON "events" USING btree ("biz_step","event_time");--> statement-breakpoint
CREATE INDEX "events_time_idx" ON "events" USING btree ("event_time");--> statement-breakpoint
CREATE INDEX "lot_links_child_parent_idx" ON "lot_links" USING btree ("child_lot_id","parent_lot_id");--> statement-breakpoint
CREATE INDEX "lot_links_event_idx" ON "lot_links" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_ship_event_key" ON "shipments" USING btree ("ship_event_id");--> statement-breakpoint
CREATE INDEX "shipments_from_idx" ON "shipments" USING btree ("from_party_id","id");--> statement-breakpoint
CREATE INDEX "shipments_to_idx" ON "shipments" USING btree ("to_party_id","status","id");--> statement-breakpoint
CREATE INDEX "shipments_lot_idx" ON "shipments" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "shipments_received_lot_idx" ON "shipments" USING btree ("received_lot_id");