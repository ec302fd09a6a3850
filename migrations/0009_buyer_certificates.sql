CREATE TABLE "upstream_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"content_type" text NOT NULL,
	"filename" text,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_upstream" (
	"certificate_id" text NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"upstream_certificate_id" text,
	"quantity" numeric(16, 3) NOT NULL,
	"unit" text NOT NULL,
	"claim_quantity" numeric(16, 3),
	"platform" text,
	"external_code" text,
	"paper_number" text,
	"photo_id" text,
	CONSTRAINT "certificate_upstream_certificate_id_position_pk" PRIMARY KEY("certificate_id","position"),
	CONSTRAINT "certificate_upstream_kind_known" CHECK ("certificate_upstream"."kind" IN ('certificate', 'other_platform', 'paper')),
	CONSTRAINT "certificate_upstream_kind_fields" CHECK (("certificate_upstream"."kind" = 'certificate' AND "certificate_upstream"."upstream_certificate_id" IS NOT NULL AND "certificate_upstream"."claim_quantity" IS NOT NULL)
        OR ("certificate_upstream"."kind" = 'other_platform' AND "certificate_upstream"."platform" IS NOT NULL AND "certificate_upstream"."external_code" IS NOT NULL)
        OR ("certificate_upstream"."kind" = 'paper' AND "certificate_upstream"."paper_number" IS NOT NULL AND "certificate_upstream"."photo_id" IS NOT NULL)),
	CONSTRAINT "certificate_upstream_quantity_positive" CHECK ("certificate_upstream"."quantity" > 0 AND ("certificate_upstream"."claim_quantity" IS NULL OR "certificate_upstream"."claim_quantity" > 0))
);
--> statement-breakpoint
CREATE TABLE "certificate_claims" (
	"certificate_id" text PRIMARY KEY NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"claimed_quantity" numeric(16, 3) DEFAULT 0 NOT NULL,
	CONSTRAINT "certificate_claims_within_quantity" CHECK ("certificate_claims"."claimed_quantity" >= 0 AND "certificate_claims"."claimed_quantity" <= "certificate_claims"."quantity")
);
--> statement-breakpoint
ALTER TABLE "upstream_photos" ADD CONSTRAINT "upstream_photos_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "certificate_upstream" ADD CONSTRAINT "certificate_upstream_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "certificate_upstream" ADD CONSTRAINT "certificate_upstream_upstream_certificate_id_certificates_id_fk" FOREIGN KEY ("upstream_certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "certificate_upstream" ADD CONSTRAINT "certificate_upstream_photo_id_upstream_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."upstream_photos"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "certificate_claims" ADD CONSTRAINT "certificate_claims_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "upstream_photos_party_idx" ON "upstream_photos" USING btree ("party_id","id");
--> statement-breakpoint
CREATE INDEX "certificate_upstream_upstream_idx" ON "certificate_upstream" USING btree ("upstream_certificate_id");
--> statement-breakpoint
-- What buyers' certificates claim of each upstream certificate is kept by the database, as certified (0001) and
-- received (0008) quantities are: naming a certificate adds the claim (in its unit) to certificate_claims, creating
-- the row on its first claim; certificate_claims_within_quantity refuses the statement that would claim past it.
-- The goods a certificate covers are used once: taken in at a market gate or collected by a buyer, so claims and
-- receipts together stay within the certificate's quantity. Both triggers first lock the certificate's row (NO KEY
-- UPDATE, which foreign-key checks do not wait for), so a claim and a receipt for one certificate queue behind each
-- other and each sees the other's committed total; the refusal names the bound of the table written to.
CREATE FUNCTION lotproof_track_claimed_quantity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  claimed numeric;
  total numeric;
  received numeric;
BEGIN
  IF NEW.upstream_certificate_id IS NULL OR NEW.claim_quantity IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM certificates WHERE id = NEW.upstream_certificate_id FOR NO KEY UPDATE;
  INSERT INTO certificate_claims AS k (certificate_id, quantity, claimed_quantity)
    SELECT c.id, c.quantity, NEW.claim_quantity FROM certificates c WHERE c.id = NEW.upstream_certificate_id
  ON CONFLICT (certificate_id) DO UPDATE SET claimed_quantity = k.claimed_quantity + EXCLUDED.claimed_quantity
  RETURNING k.claimed_quantity, k.quantity INTO claimed, total;
  SELECT r.received_quantity INTO received FROM certificate_receipts r WHERE r.certificate_id = NEW.upstream_certificate_id;
  IF claimed + coalesce(received, 0) > total THEN
    RAISE EXCEPTION 'certificate % would be claimed and received beyond its quantity', NEW.upstream_certificate_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'certificate_claims_within_quantity';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER certificate_upstream_track_claimed_quantity
  AFTER INSERT ON certificate_upstream
  FOR EACH ROW EXECUTE FUNCTION lotproof_track_claimed_quantity();
--> statement-breakpoint
-- Receipts (0008) now also count what buyers claimed: the same lock, the same combined bound.
CREATE OR REPLACE FUNCTION lotproof_track_received_quantity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta numeric;
  received numeric;
  total numeric;
  claimed numeric;
BEGIN
  IF TG_OP = 'INSERT' THEN
    delta := CASE WHEN NEW.decision <> 'reject' THEN NEW.certificate_quantity ELSE 0 END;
  ELSE
    delta := CASE WHEN NEW.decision <> 'reject' THEN NEW.certificate_quantity ELSE 0 END
           - CASE WHEN OLD.decision <> 'reject' THEN OLD.certificate_quantity ELSE 0 END;
  END IF;
  IF NEW.certificate_id IS NULL OR delta IS NULL OR delta = 0 THEN
    RETURN NULL;
  END IF;
  IF delta > 0 THEN
    PERFORM 1 FROM certificates WHERE id = NEW.certificate_id FOR NO KEY UPDATE;
  END IF;
  INSERT INTO certificate_receipts AS r (certificate_id, quantity, received_quantity)
    SELECT c.id, c.quantity, delta FROM certificates c WHERE c.id = NEW.certificate_id
  ON CONFLICT (certificate_id) DO UPDATE SET received_quantity = r.received_quantity + EXCLUDED.received_quantity
  RETURNING r.received_quantity, r.quantity INTO received, total;
  IF delta > 0 THEN
    SELECT k.claimed_quantity INTO claimed FROM certificate_claims k WHERE k.certificate_id = NEW.certificate_id;
    IF received + coalesce(claimed, 0) > total THEN
      RAISE EXCEPTION 'certificate % would be received and claimed beyond its quantity', NEW.certificate_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'certificate_receipts_within_quantity';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Voiding a buyer's certificate gives back what it claimed, so the buyer can reissue correctly.
CREATE FUNCTION lotproof_release_claims() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign numeric;
BEGIN
  IF OLD.status = 'valid' AND NEW.status <> 'valid' THEN
    sign := -1;
  ELSIF OLD.status <> 'valid' AND NEW.status = 'valid' THEN
    sign := 1;
  ELSE
    RETURN NULL;
  END IF;
  UPDATE certificate_claims k SET claimed_quantity = k.claimed_quantity + sign * u.claimed
    FROM (SELECT upstream_certificate_id, sum(claim_quantity) AS claimed FROM certificate_upstream
          WHERE certificate_id = NEW.id AND upstream_certificate_id IS NOT NULL GROUP BY upstream_certificate_id) u
    WHERE k.certificate_id = u.upstream_certificate_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER certificates_release_claims
  AFTER UPDATE OF status ON certificates
  FOR EACH ROW EXECUTE FUNCTION lotproof_release_claims();
