-- Issuing stores the certificates of one event-loop turn with one multi-row INSERT. Row-level triggers made that
-- statement update the same lot once per certificate (each update a new row version the next one had to step over)
-- and decode every token in a separate query. These statement-level triggers do the same work once per statement,
-- set-based, from the statement's transition tables. The rules are those of 0001 and 0011.
DROP TRIGGER certificates_track_certified_quantity ON certificates;
--> statement-breakpoint
DROP FUNCTION lotproof_track_certified_quantity();
--> statement-breakpoint
-- Lots are locked in id order first, so two statements certifying overlapping lots queue instead of deadlocking.
-- lots_certified_within_quantity still refuses the whole statement when any lot would go beyond its quantity.
CREATE FUNCTION lotproof_certified_quantity_changes(changes jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM lots WHERE id IN (SELECT key FROM jsonb_each(changes)) ORDER BY id FOR NO KEY UPDATE;
  UPDATE lots SET certified_quantity = certified_quantity + c.value::text::numeric
  FROM jsonb_each(changes) AS c WHERE lots.id = c.key;
END
$$;
--> statement-breakpoint
CREATE FUNCTION lotproof_certified_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes jsonb;
BEGIN
  SELECT jsonb_object_agg(lot_id, q) INTO changes
  FROM (SELECT lot_id, sum(lot_quantity) AS q FROM new_rows WHERE status = 'valid' GROUP BY lot_id) s;
  IF changes IS NOT NULL THEN
    PERFORM lotproof_certified_quantity_changes(changes);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Voiding gives a certificate's quantity back to its lot; making it valid again takes it anew.
CREATE FUNCTION lotproof_certified_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes jsonb;
BEGIN
  SELECT jsonb_object_agg(lot_id, q) INTO changes FROM (
    SELECT n.lot_id, sum(CASE WHEN n.status = 'valid' THEN n.lot_quantity ELSE -o.lot_quantity END) AS q
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.status = 'valid') <> (n.status = 'valid')
    GROUP BY n.lot_id
  ) s;
  IF changes IS NOT NULL THEN
    PERFORM lotproof_certified_quantity_changes(changes);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Named to sort after the other statement triggers on certificates, which PostgreSQL fires in name order: the lot
-- row lock, which queues every other issue for the same lot until commit, is taken as late as possible.
CREATE TRIGGER certificates_take_lot_quantity
  AFTER INSERT ON certificates REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION lotproof_certified_on_insert();
--> statement-breakpoint
CREATE TRIGGER certificates_take_lot_quantity_on_update
  AFTER UPDATE ON certificates REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION lotproof_certified_on_update();
--> statement-breakpoint
-- The same decoding as before, cheaper: replace() instead of translate(), which is several times slower on a token's
-- length, and STABLE as convert_from is, so the planner inlines it into the statement that calls it.
CREATE OR REPLACE FUNCTION lotproof_jwt_payload(token text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT convert_from(decode(rpad(replace(replace(split_part(token, '.', 2), '-', '+'), '_', '/'), ((length(split_part(token, '.', 2)) + 3) / 4) * 4, '='), 'base64'), 'UTF8')::jsonb
$$;
--> statement-breakpoint
DROP TRIGGER certificates_status_list_entry ON certificates;
--> statement-breakpoint
DROP FUNCTION lotproof_certificate_status_entry();
--> statement-breakpoint
-- Each certificate's first revocation entry claims its place; the primary key refuses a place already taken.
CREATE FUNCTION lotproof_certificate_status_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Materialized, so each token is decoded once however often its status is referred to below.
  WITH tokens AS MATERIALIZED (SELECT id, lotproof_jwt_payload(jwt) -> 'credentialStatus' AS status FROM new_rows)
  INSERT INTO status_list_entries (list, idx, certificate_id)
  SELECT DISTINCT ON (t.id)
    substring(e.entry ->> 'statusListCredential' FROM '/([0-9]+)$')::integer, (e.entry ->> 'statusListIndex')::integer, t.id
  FROM tokens t
  CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(t.status) WHEN 'object' THEN jsonb_build_array(t.status) WHEN 'array' THEN t.status ELSE '[]'::jsonb END)
    WITH ORDINALITY AS e(entry, pos)
  WHERE e.entry ->> 'statusPurpose' = 'revocation'
  ORDER BY t.id, e.pos;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER certificates_status_list_entries
  AFTER INSERT ON certificates REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION lotproof_certificate_status_entries();
