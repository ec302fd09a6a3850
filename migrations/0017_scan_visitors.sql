-- Repeat scans by one visitor on one day count once towards the copied-code volume rule: each scan now carries a
-- salted, daily-rotated hash of its client (never the address), and scan_totals keeps the visits beside the scans.
CREATE TABLE "scan_visitors" (
	"certificate_id" text NOT NULL,
	"client" text NOT NULL,
	CONSTRAINT "scan_visitors_certificate_id_client_pk" PRIMARY KEY("certificate_id","client")
);
--> statement-breakpoint
ALTER TABLE "scan_totals" ADD COLUMN "visits" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scans" ADD COLUMN "client" text;--> statement-breakpoint
ALTER TABLE "scan_visitors" ADD CONSTRAINT "scan_visitors_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Scans recorded before visitors were told apart each count as a visit, as scans of unknown clients still do.
UPDATE "scan_totals" SET "visits" = "people";
