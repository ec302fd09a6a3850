CREATE TABLE "cold_chain_excursion_actions" (
	"id" text PRIMARY KEY NOT NULL,
	"excursion_id" text NOT NULL,
	"action" text NOT NULL,
	"note" text NOT NULL,
	"party_id" text,
	"key_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cold_chain_excursion_actions_known" CHECK ("cold_chain_excursion_actions"."action" IN ('corrective', 'release', 'reject'))
);
--> statement-breakpoint
CREATE TABLE "cold_chain_excursions" (
	"id" text PRIMARY KEY NOT NULL,
	"stream_id" integer NOT NULL,
	"lot_id" text NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"peak_c" double precision NOT NULL,
	"max_deviation_c" double precision NOT NULL,
	"readings" integer NOT NULL,
	"includes_gap" boolean NOT NULL,
	"status" text NOT NULL,
	"disposition" text,
	"revised_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cold_chain_excursions_kind_known" CHECK ("cold_chain_excursions"."kind" IN ('out_of_range', 'not_recovered')),
	CONSTRAINT "cold_chain_excursions_status_known" CHECK ("cold_chain_excursions"."status" IN ('open', 'closed', 'void'))
);
--> statement-breakpoint
CREATE TABLE "cold_chain_readings" (
	"stream_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"celsius" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cold_chain_streams" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cold_chain_streams_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"subject" text NOT NULL,
	"lot_id" text,
	"shipment_ref" text,
	"party_id" text,
	"logger_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cold_chain_streams_has_subject" CHECK ("cold_chain_streams"."lot_id" IS NOT NULL OR "cold_chain_streams"."shipment_ref" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "cold_chain_excursion_actions" ADD CONSTRAINT "cold_chain_excursion_actions_excursion_id_cold_chain_excursions_id_fk" FOREIGN KEY ("excursion_id") REFERENCES "public"."cold_chain_excursions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cold_chain_excursion_actions" ADD CONSTRAINT "cold_chain_excursion_actions_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cold_chain_excursions" ADD CONSTRAINT "cold_chain_excursions_stream_id_cold_chain_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."cold_chain_streams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cold_chain_excursions" ADD CONSTRAINT "cold_chain_excursions_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cold_chain_readings" ADD CONSTRAINT "cold_chain_readings_stream_id_cold_chain_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."cold_chain_streams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cold_chain_streams" ADD CONSTRAINT "cold_chain_streams_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cold_chain_streams" ADD CONSTRAINT "cold_chain_streams_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cold_chain_excursion_actions_excursion_idx" ON "cold_chain_excursion_actions" USING btree ("excursion_id","created_at");--> statement-breakpoint
CREATE INDEX "cold_chain_excursions_lot_idx" ON "cold_chain_excursions" USING btree ("lot_id","started_at");--> statement-breakpoint
CREATE INDEX "cold_chain_excursions_stream_idx" ON "cold_chain_excursions" USING btree ("stream_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cold_chain_readings_stream_at_key" ON "cold_chain_readings" USING btree ("stream_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "cold_chain_streams_subject_logger_key" ON "cold_chain_streams" USING btree ("subject","logger_id");--> statement-breakpoint
CREATE INDEX "cold_chain_streams_lot_idx" ON "cold_chain_streams" USING btree ("lot_id");