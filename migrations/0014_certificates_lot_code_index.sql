-- A recall through a hub lot looks up the certificates of tens of thousands of lots; with the code in the index each
-- lookup is answered from the index alone, without visiting the table.
DROP INDEX "certificates_lot_idx";
--> statement-breakpoint
CREATE INDEX "certificates_lot_idx" ON "certificates" USING btree ("lot_id") INCLUDE ("code");
