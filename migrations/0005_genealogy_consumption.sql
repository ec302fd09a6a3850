-- What leaves a lot is counted by the database itself: every edge to a child (other than a handover, whose goods
-- already left with the shipment) and every shipment adds to the lot's consumed quantity in the statement that
-- records it, and lot_balances_consumed_within_quantity refuses the statement that would take more than the lot
-- holds. The upsert takes the balance row's lock, so concurrent splits and shipments of one lot queue on it and the
-- later ones see what the earlier ones took.
CREATE FUNCTION lotproof_consume_lot(consumed_lot text, amount numeric) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lot_balances (lot_id, quantity, consumed_quantity)
    SELECT id, quantity, amount FROM lots WHERE id = consumed_lot
  ON CONFLICT (lot_id) DO UPDATE SET consumed_quantity = lot_balances.consumed_quantity + EXCLUDED.consumed_quantity;
END
$$;
--> statement-breakpoint
CREATE FUNCTION lotproof_track_link_consumption() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind <> 'transfer' THEN
    PERFORM lotproof_consume_lot(NEW.parent_lot_id, NEW.quantity);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER lot_links_track_consumption
  AFTER INSERT ON lot_links
  FOR EACH ROW EXECUTE FUNCTION lotproof_track_link_consumption();
--> statement-breakpoint
CREATE FUNCTION lotproof_track_shipment_consumption() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lotproof_consume_lot(NEW.lot_id, NEW.lot_quantity);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER shipments_track_consumption
  AFTER INSERT ON shipments
  FOR EACH ROW EXECUTE FUNCTION lotproof_track_shipment_consumption();
--> statement-breakpoint
-- The genealogy is evidence: an edge once recorded is never changed or removed.
CREATE FUNCTION lotproof_refuse_link_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'lot_links rows are never changed or deleted' USING ERRCODE = 'restrict_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER lot_links_immutable
  BEFORE UPDATE OR DELETE ON lot_links
  FOR EACH ROW EXECUTE FUNCTION lotproof_refuse_link_change();
