-- A transaction's queued leaves are found by its transaction id instead of by reading the whole queue. Every drain
-- deleted its rows, so the queue's heap held nothing but dead rows until autovacuum came by (at most once a minute,
-- and not at all during a one-minute load), and each drain read all of them again: under sustained issuing the
-- append grew slower with every certificate. The index on the transaction id reaches only the transaction's own.
ALTER TABLE "log_pending" ADD COLUMN "xact" xid8 NOT NULL DEFAULT pg_current_xact_id();
--> statement-breakpoint
CREATE INDEX "log_pending_xact_idx" ON "log_pending" ("xact");
--> statement-breakpoint
-- Autovacuum clears the dead rows as soon as there are a few thousand, whatever the table's size.
ALTER TABLE "log_pending" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);
--> statement-breakpoint
-- The append itself, once per transaction. Every statement in it is a lookup by key; sequential scans are ruled out
-- because a plan made while the queue was small (as on a fresh database) would otherwise read every dead row later.
CREATE FUNCTION lotproof_log_drain() RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  start bigint;
  added bigint;
  lvl integer := 0;
  lo bigint;
  hi bigint;
BEGIN
  SELECT size INTO start FROM log_head WHERE id = 1 FOR UPDATE;
  WITH drained AS (
    DELETE FROM log_pending WHERE xact = pg_current_xact_id() RETURNING seq, type, certificate_code, fields, at
  ), numbered AS (
    SELECT start + row_number() OVER (ORDER BY seq) - 1 AS idx, type, certificate_code, at,
      '{"v":1' || lotproof_log_field('type', type) || lotproof_log_field('at', lotproof_log_time(at)) || fields || '}' AS data
    FROM drained
  )
  INSERT INTO log_leaves (idx, type, certificate_code, data, leaf_hash, at)
  SELECT idx, type, certificate_code, data, sha256(decode('00', 'hex') || convert_to(data, 'UTF8')), at FROM numbered;
  GET DIAGNOSTICS added = ROW_COUNT;
  -- Node (level L, position p) covers leaves [p·2^L, (p+1)·2^L) and is stored once the last of them is: the new
  -- leaves [start, start + added) complete positions [start >> L, (start + added) >> L) at each level L.
  LOOP
    lvl := lvl + 1;
    lo := start >> lvl;
    hi := (start + added) >> lvl;
    EXIT WHEN hi <= lo;
    IF lvl = 1 THEN
      INSERT INTO log_nodes (level, position, hash)
      SELECT 1, p, sha256(decode('01', 'hex')
        || (SELECT leaf_hash FROM log_leaves WHERE idx = 2 * p) || (SELECT leaf_hash FROM log_leaves WHERE idx = 2 * p + 1))
      FROM generate_series(lo, hi - 1) AS p;
    ELSE
      INSERT INTO log_nodes (level, position, hash)
      SELECT lvl, p, sha256(decode('01', 'hex')
        || (SELECT hash FROM log_nodes WHERE level = lvl - 1 AND position = 2 * p)
        || (SELECT hash FROM log_nodes WHERE level = lvl - 1 AND position = 2 * p + 1))
      FROM generate_series(lo, hi - 1) AS p;
    END IF;
  END LOOP;
  UPDATE log_head SET size = size + added WHERE id = 1;
END
$$;
--> statement-breakpoint
-- The first of a transaction's queued rows to reach commit appends them all; the others find their row gone.
CREATE OR REPLACE FUNCTION lotproof_log_append_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM log_pending WHERE seq = NEW.seq) THEN
    PERFORM lotproof_log_drain();
  END IF;
  RETURN NULL;
END
$$;
