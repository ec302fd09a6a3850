-- The transparency log (RFC 9162 Merkle tree). Every change that decides whether a certificate can be trusted is
-- appended as a leaf by a trigger on the table of the change, deferred to commit time: the leaf is part of the same
-- transaction as the change, and the one lock that makes indexes gap-free (the log_head row) is taken last and held
-- only while the transaction commits, so it cannot deadlock with the lot and certificate rows taken before it.
-- Leaf data is one line of JSON whose bytes are stored as they were hashed; see src/domain/log-leaf.ts.
CREATE TABLE "log_head" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"size" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "log_head_one_row" CHECK ("log_head"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "log_head" ("id", "size") VALUES (1, 0);
--> statement-breakpoint
CREATE TABLE "log_leaves" (
	"idx" bigint PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"certificate_code" text,
	"data" text NOT NULL,
	"leaf_hash" bytea NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"logged_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "log_leaves_certificate_idx" ON "log_leaves" USING btree ("certificate_code","idx") WHERE "log_leaves"."certificate_code" IS NOT NULL;
--> statement-breakpoint
CREATE TABLE "log_nodes" (
	"level" smallint NOT NULL,
	"position" bigint NOT NULL,
	"hash" bytea NOT NULL,
	CONSTRAINT "log_nodes_pkey" PRIMARY KEY("level","position")
);
--> statement-breakpoint
CREATE TABLE "log_checkpoints" (
	"size" bigint PRIMARY KEY NOT NULL,
	"root_hash" bytea NOT NULL,
	"note" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_keys" (
	"key_name" text NOT NULL,
	"key_id" bigint NOT NULL,
	"public_key" bytea NOT NULL,
	"sealed_private_jwk" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_keys_pkey" PRIMARY KEY("key_name","key_id")
);
--> statement-breakpoint
CREATE TABLE "signing_key_compromises" (
	"kid" text PRIMARY KEY NOT NULL,
	"compromised_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by_key" text NOT NULL,
	CONSTRAINT "signing_key_compromises_kid_signing_keys_kid_fk" FOREIGN KEY ("kid") REFERENCES "public"."signing_keys"("kid") ON DELETE no action ON UPDATE no action
);
--> statement-breakpoint
-- ISO 8601 UTC with milliseconds, as JavaScript's toISOString writes it.
CREATE FUNCTION lotproof_log_time(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
--> statement-breakpoint
-- `,"name":value` for a text value (JSON null when null).
CREATE FUNCTION lotproof_log_field(name text, value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT ',' || to_json(name)::text || ':' || coalesce(to_json(value)::text, 'null')
$$;
--> statement-breakpoint
-- Appends one leaf and the interior nodes it completes; returns its index. Taking the log_head row lock first makes
-- appends strictly one after another, so the sibling each new node needs is always already stored.
CREATE FUNCTION lotproof_log_append(p_type text, p_at timestamptz, p_certificate text, p_fields text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  i bigint;
  leaf text;
  h bytea;
  sibling bytea;
  lvl smallint := 0;
  pos bigint;
BEGIN
  UPDATE log_head SET size = size + 1 WHERE id = 1 RETURNING size - 1 INTO i;
  leaf := '{"v":1' || lotproof_log_field('type', p_type) || lotproof_log_field('at', lotproof_log_time(p_at)) || p_fields || '}';
  h := sha256(decode('00', 'hex') || convert_to(leaf, 'UTF8'));
  INSERT INTO log_leaves (idx, type, certificate_code, data, leaf_hash, at) VALUES (i, p_type, p_certificate, leaf, h, p_at);
  pos := i;
  WHILE pos % 2 = 1 LOOP
    IF lvl = 0 THEN
      SELECT leaf_hash INTO sibling FROM log_leaves WHERE idx = i - 1;
    ELSE
      SELECT hash INTO sibling FROM log_nodes WHERE level = lvl AND position = pos - 1;
    END IF;
    h := sha256(decode('01', 'hex') || sibling || h);
    lvl := lvl + 1;
    pos := pos / 2;
    INSERT INTO log_nodes (level, position, hash) VALUES (lvl, pos, h);
  END LOOP;
  RETURN i;
END
$$;
--> statement-breakpoint
CREATE FUNCTION lotproof_log_certificate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM lotproof_log_append('certificate.issued', NEW.issued_at, NEW.code,
      lotproof_log_field('certificate', NEW.code) || lotproof_log_field('lot', NEW.lot_id) || lotproof_log_field('kid', NEW.kid)
      || lotproof_log_field('jwtSha256', encode(sha256(convert_to(NEW.jwt, 'UTF8')), 'hex')));
  ELSIF NEW.status = 'revoked' THEN
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
CREATE CONSTRAINT TRIGGER "certificates_log_issue" AFTER INSERT ON "certificates" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION lotproof_log_certificate();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "certificates_log_status" AFTER UPDATE OF "status" ON "certificates" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION lotproof_log_certificate();
--> statement-breakpoint
CREATE FUNCTION lotproof_log_recall() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM lotproof_log_append('lot.recalled', NEW.recalled_at, NULL,
      lotproof_log_field('recall', NEW.id) || lotproof_log_field('lot', NEW.lot_id) || lotproof_log_field('scope', NEW.scope)
      || lotproof_log_field('reason', NEW.reason));
  ELSIF NEW.status = 'lifted' THEN
    PERFORM lotproof_log_append('lot.recall_lifted', coalesce(NEW.lifted_at, clock_timestamp()), NULL,
      lotproof_log_field('recall', NEW.id) || lotproof_log_field('lot', NEW.lot_id) || lotproof_log_field('reason', NEW.lift_reason));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "recalls_log_recall" AFTER INSERT ON "recalls" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION lotproof_log_recall();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "recalls_log_lift" AFTER UPDATE OF "status" ON "recalls" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION lotproof_log_recall();
--> statement-breakpoint
-- A failing test marks its lot failed; a passing re-test of a failing one (retest_of) is what clears it.
CREATE FUNCTION lotproof_log_test() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.verdict = 'fail' THEN
    PERFORM lotproof_log_append('lot.test_failed', NEW.tested_at, NULL,
      lotproof_log_field('test', NEW.id) || lotproof_log_field('lot', NEW.lot_id) || lotproof_log_field('kind', NEW.kind));
  ELSE
    PERFORM lotproof_log_append('lot.test_cleared', NEW.tested_at, NULL,
      lotproof_log_field('test', NEW.id) || lotproof_log_field('lot', NEW.lot_id) || lotproof_log_field('kind', NEW.kind)
      || lotproof_log_field('retestOf', NEW.retest_of));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "lot_tests_log" AFTER INSERT ON "lot_tests" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.verdict = 'fail' OR (NEW.verdict = 'pass' AND NEW.retest_of IS NOT NULL)) EXECUTE FUNCTION lotproof_log_test();
--> statement-breakpoint
CREATE FUNCTION lotproof_log_signing_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'signing_key_compromises' THEN
    PERFORM lotproof_log_append('key.compromised', NEW.recorded_at, NULL,
      lotproof_log_field('kid', NEW.kid) || lotproof_log_field('compromisedAt', lotproof_log_time(NEW.compromised_at))
      || lotproof_log_field('reason', NEW.reason));
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM lotproof_log_append('key.added', NEW.created_at, NULL,
      lotproof_log_field('kid', NEW.kid) || lotproof_log_field('alg', NEW.alg));
  ELSIF NEW.retired_at IS NOT NULL THEN
    PERFORM lotproof_log_append('key.retired', NEW.retired_at, NULL, lotproof_log_field('kid', NEW.kid));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "signing_keys_log_added" AFTER INSERT ON "signing_keys" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION lotproof_log_signing_key();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "signing_keys_log_retired" AFTER UPDATE OF "retired_at" ON "signing_keys" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.retired_at IS DISTINCT FROM NEW.retired_at) EXECUTE FUNCTION lotproof_log_signing_key();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "signing_key_compromises_log" AFTER INSERT ON "signing_key_compromises" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION lotproof_log_signing_key();
--> statement-breakpoint
-- Append-only, whoever connects: rows of the log, its nodes and its published checkpoints are never changed or
-- removed, and the head only ever grows by one.
CREATE FUNCTION lotproof_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the transparency log is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = '42501';
END
$$;
--> statement-breakpoint
CREATE FUNCTION lotproof_log_head_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.size <> OLD.size + 1 THEN
    RAISE EXCEPTION 'the transparency log head only grows by one leaf at a time' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "log_head_grows" BEFORE UPDATE ON "log_head" FOR EACH ROW EXECUTE FUNCTION lotproof_log_head_grows();
--> statement-breakpoint
CREATE TRIGGER "log_head_kept" BEFORE DELETE ON "log_head" FOR EACH ROW EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "log_head_no_truncate" BEFORE TRUNCATE ON "log_head" FOR EACH STATEMENT EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "log_leaves_append_only" BEFORE UPDATE OR DELETE ON "log_leaves" FOR EACH ROW EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "log_leaves_no_truncate" BEFORE TRUNCATE ON "log_leaves" FOR EACH STATEMENT EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "log_nodes_append_only" BEFORE UPDATE OR DELETE ON "log_nodes" FOR EACH ROW EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "log_nodes_no_truncate" BEFORE TRUNCATE ON "log_nodes" FOR EACH STATEMENT EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "log_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "log_checkpoints" FOR EACH ROW EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "log_checkpoints_no_truncate" BEFORE TRUNCATE ON "log_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "signing_key_compromises_append_only" BEFORE UPDATE OR DELETE ON "signing_key_compromises" FOR EACH ROW EXECUTE FUNCTION lotproof_log_refuse_change();
--> statement-breakpoint
-- Where the service connects as its own role (not the tables' owner), that role loses the right to change the log
-- at all; a trigger can be dropped by an owner, a missing privilege cannot be worked around by the application.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lotproof_app') THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON "log_head", "log_leaves", "log_nodes", "log_checkpoints", "signing_key_compromises" FROM lotproof_app;
  END IF;
END
$$;
--> statement-breakpoint
-- Rows stored before the log existed enter it once, oldest first, so every certificate has its leaf.
DO $$
DECLARE
  e record;
BEGIN
  FOR e IN
    SELECT * FROM (
      SELECT 0 AS ord, created_at AS at, 'key.added' AS type, NULL::text AS cert, lotproof_log_field('kid', kid) || lotproof_log_field('alg', alg) AS fields, kid AS tiebreak FROM signing_keys
      UNION ALL
      SELECT 1, issued_at, 'certificate.issued', code,
        lotproof_log_field('certificate', code) || lotproof_log_field('lot', lot_id) || lotproof_log_field('kid', kid)
        || lotproof_log_field('jwtSha256', encode(sha256(convert_to(jwt, 'UTF8')), 'hex')), id FROM certificates
      UNION ALL
      SELECT 2, recalled_at, 'lot.recalled', NULL,
        lotproof_log_field('recall', id) || lotproof_log_field('lot', lot_id) || lotproof_log_field('scope', scope) || lotproof_log_field('reason', reason), id FROM recalls
      UNION ALL
      SELECT 2, tested_at, CASE WHEN verdict = 'fail' THEN 'lot.test_failed' ELSE 'lot.test_cleared' END, NULL,
        lotproof_log_field('test', id) || lotproof_log_field('lot', lot_id) || lotproof_log_field('kind', kind)
        || CASE WHEN verdict = 'fail' THEN '' ELSE lotproof_log_field('retestOf', retest_of) END, id
      FROM lot_tests WHERE verdict = 'fail' OR (verdict = 'pass' AND retest_of IS NOT NULL)
      UNION ALL
      SELECT 3, revoked_at, 'certificate.revoked', code,
        lotproof_log_field('certificate', code) || lotproof_log_field('lot', lot_id) || lotproof_log_field('reason', revoke_reason), id
      FROM certificates WHERE status = 'revoked' AND revoked_at IS NOT NULL
      UNION ALL
      SELECT 3, lifted_at, 'lot.recall_lifted', NULL,
        lotproof_log_field('recall', id) || lotproof_log_field('lot', lot_id) || lotproof_log_field('reason', lift_reason), id
      FROM recalls WHERE status = 'lifted' AND lifted_at IS NOT NULL
      UNION ALL
      SELECT 4, retired_at, 'key.retired', NULL, lotproof_log_field('kid', kid), kid FROM signing_keys WHERE retired_at IS NOT NULL
    ) existing
    ORDER BY at, ord, tiebreak
  LOOP
    PERFORM lotproof_log_append(e.type, e.at, e.cert, e.fields);
  END LOOP;
END
$$;
