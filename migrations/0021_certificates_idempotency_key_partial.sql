-- Certificates without an Idempotency-Key (most of them) no longer get an entry in its unique index: one index write
-- less per issue. NULL keys never conflicted, so the rule is unchanged.
DROP INDEX "certificates_idempotency_key";--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_idempotency_key" ON "certificates" USING btree ("party_id","idempotency_key") WHERE "certificates"."idempotency_key" IS NOT NULL;