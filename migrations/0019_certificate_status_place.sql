-- A certificate's place in the status lists moves from status_list_entries, which a trigger filled by decoding each
-- new token in SQL (about half of an INSERT's cost), to two columns the INSERT itself carries. The service writes the
-- token and the columns from the same allocated place; the unique index still refuses a place already taken.
ALTER TABLE "certificates" ADD COLUMN "status_list" integer;--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "status_index" integer;--> statement-breakpoint
UPDATE "certificates" c SET "status_list" = e."list", "status_index" = e."idx" FROM "status_list_entries" e WHERE e."certificate_id" = c."id";--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_status_place_key" ON "certificates" USING btree ("status_list","status_index");--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_status_place_in_list" CHECK (("certificates"."status_list" IS NULL) = ("certificates"."status_index" IS NULL) AND "certificates"."status_index" >= 0 AND "certificates"."status_index" < 131072 AND "certificates"."status_list" >= 0);--> statement-breakpoint
DROP TRIGGER "certificates_status_list_entries" ON "certificates";--> statement-breakpoint
DROP FUNCTION lotproof_certificate_status_entries();--> statement-breakpoint
DROP FUNCTION lotproof_jwt_payload(text);--> statement-breakpoint
DROP TABLE "status_list_entries";
