-- One commit-time append per transaction instead of one deferred trigger per queued leaf. Each leaf's trigger
-- fired at commit only to find its row already appended by the first (a batch of 17 certificates paid 16 trigger
-- calls and lookups for nothing). A leaf now records whether it opens its transaction's batch (nothing of the
-- transaction is queued when it arrives), and only such a leaf queues the trigger. After a mid-transaction
-- SET CONSTRAINTS ... IMMEDIATE has appended the queue, the next leaf opens a new batch.
ALTER TABLE "log_pending" ADD COLUMN "opens_batch" boolean NOT NULL DEFAULT false;
--> statement-breakpoint
-- The lookups of the transaction's queue go through its index (see 0020), whatever plan an empty queue suggests.
CREATE OR REPLACE FUNCTION lotproof_log_append(p_type text, p_at timestamptz, p_certificate text, p_fields text) RETURNS void
LANGUAGE sql SET enable_seqscan = off AS $$
  INSERT INTO log_pending (type, certificate_code, fields, at, opens_batch)
  VALUES (p_type, p_certificate, p_fields, p_at, NOT EXISTS (SELECT 1 FROM log_pending WHERE xact = pg_current_xact_id()))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lotproof_log_certificates_issued() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  INSERT INTO log_pending (type, certificate_code, fields, at, opens_batch)
  SELECT 'certificate.issued', code,
    lotproof_log_field('certificate', code) || lotproof_log_field('lot', lot_id) || lotproof_log_field('kid', kid)
    || lotproof_log_field('jwtSha256', encode(sha256(convert_to(jwt, 'UTF8')), 'hex')), issued_at,
    row_number() OVER (ORDER BY id) = 1 AND NOT EXISTS (SELECT 1 FROM log_pending WHERE xact = pg_current_xact_id())
  FROM new_rows ORDER BY id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lotproof_log_append_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lotproof_log_drain();
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER "log_pending_append" ON "log_pending";
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "log_pending_append" AFTER INSERT ON "log_pending" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.opens_batch) EXECUTE FUNCTION lotproof_log_append_pending();
