-- What markets have received of each certificate is kept by the database, as certified quantities are (0001): a
-- receipt that counts adds its quantity (in the certificate's unit) to certificate_receipts, creating the row on the
-- certificate's first receipt; certificate_receipts_within_quantity refuses the statement that would go past the
-- certificate. Concurrent receipts for one certificate queue on that row, so no number of clerks can beat the bound.
-- Accepted and held receipts count, rejected ones do not (see src/domain/market/receipt-rules.ts).
CREATE FUNCTION lotproof_track_received_quantity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta numeric;
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
  INSERT INTO certificate_receipts AS r (certificate_id, quantity, received_quantity)
    SELECT c.id, c.quantity, delta FROM certificates c WHERE c.id = NEW.certificate_id
  ON CONFLICT (certificate_id) DO UPDATE SET received_quantity = r.received_quantity + EXCLUDED.received_quantity;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER market_receipts_track_received_quantity
  AFTER INSERT OR UPDATE OF decision, certificate_quantity ON market_receipts
  FOR EACH ROW EXECUTE FUNCTION lotproof_track_received_quantity();
