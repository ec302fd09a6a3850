-- Bitstring status lists (W3C Bitstring Status List v1.0). A certificate's place in the lists is written into its
-- signed token before it is stored; the trigger below reads it back from the token inside the INSERT that stores the
-- certificate, and the primary key refuses that INSERT if the place is taken. So the place a token points at is
-- always its own, however many writers race.
CREATE SEQUENCE "status_list_sequence" INCREMENT BY 64 MINVALUE 0 START WITH 0;
--> statement-breakpoint
CREATE TABLE "status_list_entries" (
	"list" integer NOT NULL,
	"idx" integer NOT NULL,
	"certificate_id" text NOT NULL,
	CONSTRAINT "status_list_entries_pkey" PRIMARY KEY("list","idx"),
	CONSTRAINT "status_list_entries_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action,
	CONSTRAINT "status_list_entries_idx_in_list" CHECK ("status_list_entries"."idx" >= 0 AND "status_list_entries"."idx" < 131072 AND "status_list_entries"."list" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "status_list_entries_certificate_key" ON "status_list_entries" USING btree ("certificate_id");
--> statement-breakpoint
CREATE FUNCTION lotproof_jwt_payload(token text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT convert_from(decode(rpad(translate(p, '-_', '+/'), ((length(p) + 3) / 4) * 4, '='), 'base64'), 'UTF8')::jsonb
  FROM split_part(token, '.', 2) AS p
$$;
--> statement-breakpoint
CREATE FUNCTION lotproof_certificate_status_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  status jsonb := lotproof_jwt_payload(NEW.jwt) -> 'credentialStatus';
  entry jsonb;
BEGIN
  IF status IS NULL THEN
    RETURN NULL;
  END IF;
  IF jsonb_typeof(status) = 'object' THEN
    status := jsonb_build_array(status);
  END IF;
  SELECT e INTO entry FROM jsonb_array_elements(status) AS e WHERE e ->> 'statusPurpose' = 'revocation' LIMIT 1;
  IF entry IS NOT NULL THEN
    INSERT INTO status_list_entries (list, idx, certificate_id)
    VALUES (substring(entry ->> 'statusListCredential' FROM '/([0-9]+)$')::integer, (entry ->> 'statusListIndex')::integer, NEW.id);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER certificates_status_list_entry
  AFTER INSERT ON certificates
  FOR EACH ROW EXECUTE FUNCTION lotproof_certificate_status_entry();
--> statement-breakpoint
-- A gate device's idempotency key is claimed before the receipt row it names is stored (so a retry racing the first
-- attempt waits on the key, not on the certificate's quantity), hence the deferred reference.
CREATE TABLE "market_receipt_keys" (
	"market_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"receipt_id" text NOT NULL,
	"request_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "market_receipt_keys_pkey" PRIMARY KEY("market_id","idempotency_key"),
	CONSTRAINT "market_receipt_keys_market_id_parties_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action,
	CONSTRAINT "market_receipt_keys_receipt_id_market_receipts_id_fk" FOREIGN KEY ("receipt_id") REFERENCES "public"."market_receipts"("id") ON DELETE no action ON UPDATE no action DEFERRABLE INITIALLY DEFERRED
);
