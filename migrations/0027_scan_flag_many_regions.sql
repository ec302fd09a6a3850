-- A code scanned often in more regions than one lot's goods reach is flagged as copied (domain/scans/copied-code.ts).
ALTER TABLE "scan_flags" DROP CONSTRAINT "scan_flags_kind_known";--> statement-breakpoint
ALTER TABLE "scan_flags" ADD CONSTRAINT "scan_flags_kind_known" CHECK ("scan_flags"."kind" IN ('impossible_travel', 'many_regions', 'excess_scans'));