-- The transparency log's leaves are now appended once per transaction instead of once per row. Triggers queue a
-- transaction's leaves in log_pending as its statements run; at commit, the first of its deferred log_pending
-- triggers to fire takes the log_head lock, appends them all in queue order with the interior nodes they complete
-- (one INSERT per tree level), and empties the queue; the others find their row gone and return. The leaf bytes,
-- the tree and the lock taken last at commit are those of 0010; a multi-row INSERT of certificates now pays for one
-- head update and a handful of statements instead of several per certificate.
CREATE TABLE "log_pending" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"type" text NOT NULL,
	"certificate_code" text,
	"fields" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- The row triggers of 0010 call this; it now queues the leaf for commit.
DROP FUNCTION lotproof_log_append(text, timestamptz, text, text);
--> statement-breakpoint
CREATE FUNCTION lotproof_log_append(p_type text, p_at timestamptz, p_certificate text, p_fields text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO log_pending (type, certificate_code, fields, at) VALUES (p_type, p_certificate, p_fields, p_at)
$$;
--> statement-breakpoint
-- STABLE, as to_json and to_char are, so the planner inlines them into the set-based statements below; declared
-- IMMUTABLE they ran as separate function calls, six per leaf.
CREATE OR REPLACE FUNCTION lotproof_log_field(name text, value text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT ',' || to_json(name)::text || ':' || coalesce(to_json(value)::text, 'null')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lotproof_log_time(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
--> statement-breakpoint
CREATE FUNCTION lotproof_log_append_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  start bigint;
  added bigint;
  lvl integer := 0;
  lo bigint;
  hi bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM log_pending WHERE seq = NEW.seq) THEN
    RETURN NULL;
  END IF;
  SELECT size INTO start FROM log_head WHERE id = 1 FOR UPDATE;
  -- Another transaction's queued rows are never visible here: each empties its own queue before it commits.
  WITH drained AS (
    DELETE FROM log_pending RETURNING seq, type, certificate_code, fields, at
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
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "log_pending_append" AFTER INSERT ON "log_pending" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION lotproof_log_append_pending();
--> statement-breakpoint
-- The head may grow by several leaves at once, but only over leaves that are stored.
CREATE OR REPLACE FUNCTION lotproof_log_head_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.size <= OLD.size
     OR (SELECT count(*) FROM log_leaves WHERE idx >= OLD.size AND idx < NEW.size) <> NEW.size - OLD.size THEN
    RAISE EXCEPTION 'the transparency log head only grows, over stored leaves' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Issues are queued set-based, once per INSERT statement, in id (time) order.
DROP TRIGGER "certificates_log_issue" ON "certificates";
--> statement-breakpoint
CREATE FUNCTION lotproof_log_certificates_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO log_pending (type, certificate_code, fields, at)
  SELECT 'certificate.issued', code,
    lotproof_log_field('certificate', code) || lotproof_log_field('lot', lot_id) || lotproof_log_field('kid', kid)
    || lotproof_log_field('jwtSha256', encode(sha256(convert_to(jwt, 'UTF8')), 'hex')), issued_at
  FROM new_rows ORDER BY id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "certificates_log_issued" AFTER INSERT ON "certificates" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION lotproof_log_certificates_issued();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lotproof_log_certificate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'revoked' THEN
    PERFORM lotproof_log_append('certificate.revoked', coalesce(NEW.revoked_at, clock_timestamp()), NEW.code,
      lotproof_log_field('certificate', NEW.code) || lotproof_log_field('lot', NEW.lot_id) || lotproof_log_field('reason', NEW.revoke_reason));
  ELSE
    PERFORM lotproof_log_append('certificate.status_changed', clock_timestamp(), NEW.code,
      lotproof_log_field('certificate', NEW.code) || lotproof_log_field('lot', NEW.lot_id) || lotproof_log_field('status', NEW.status));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "log_pending_no_truncate" BEFORE TRUNCATE ON "log_pending" FOR EACH STATEMENT EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lotproof_app') THEN
    REVOKE UPDATE, TRUNCATE ON "log_pending" FROM lotproof_app;
  END IF;
END
$$;
