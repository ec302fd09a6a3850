-- A lot's certified quantity is kept by the database itself: every live certificate adds its quantity, voiding
-- gives it back, and the lots_certified_within_quantity check refuses the statement that would certify beyond the
-- lot. One INSERT issues a certificate atomically, and no writer, however concurrent, can over-certify.
CREATE FUNCTION lotproof_track_certified_quantity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.status = 'valid' THEN
    UPDATE lots SET certified_quantity = certified_quantity + NEW.lot_quantity WHERE id = NEW.lot_id;
  ELSIF TG_OP = 'UPDATE' AND OLD.status = 'valid' AND NEW.status <> 'valid' THEN
    UPDATE lots SET certified_quantity = certified_quantity - OLD.lot_quantity WHERE id = OLD.lot_id;
  ELSIF TG_OP = 'UPDATE' AND OLD.status <> 'valid' AND NEW.status = 'valid' THEN
    UPDATE lots SET certified_quantity = certified_quantity + NEW.lot_quantity WHERE id = NEW.lot_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER certificates_track_certified_quantity
  AFTER INSERT OR UPDATE OF status ON certificates
  FOR EACH ROW EXECUTE FUNCTION lotproof_track_certified_quantity();
