import { and, asc, desc, eq, gt, like, sql, type SQL } from "drizzle-orm";
import { type Principal, requireRole } from "../auth/principal";
import { certificates, scanFlags, scanPlaces, scanTotals } from "../db/schema";
import type { AppDeps } from "../deps";
import { regionPrefix } from "../domain/region";
import type { ScanFlagKind } from "../domain/scans";
import { toPage } from "../http/pagination";
import { problems } from "../http/problem";
import { placeOfKey } from "./scans";

const READERS = ["regulator", "admin"] as const;

/** Places listed as a flag's evidence: enough to see where a copy is in use. */
const EVIDENCE_PLACES = 50;

export interface ScanFlagView {
  id: string;
  kind: ScanFlagKind;
  certificateCode: string;
  /** The issuer's district, whose regulators handle the case. */
  regionCode: string;
  /** The finding that raised it: the two scans too far apart, the busy regions, or the scans against what is explained. */
  detail: Record<string, unknown>;
  caseId: string | null;
  createdAt: string;
}

function regionFilter(p: Principal): SQL | undefined {
  return p.role === "regulator" ? like(scanFlags.regionCode, `${regionPrefix(p.regionCode ?? "")}%`) : undefined;
}

const flagColumns = {
  id: scanFlags.id,
  kind: scanFlags.kind,
  certificateId: scanFlags.certificateId,
  certificateCode: certificates.code,
  regionCode: scanFlags.regionCode,
  detail: scanFlags.detail,
  caseId: scanFlags.caseId,
  createdAt: scanFlags.createdAt,
};

function view(row: { id: string; kind: ScanFlagKind; certificateCode: string; regionCode: string; detail: Record<string, unknown>; caseId: string | null; createdAt: Date }): ScanFlagView {
  return { id: row.id, kind: row.kind, certificateCode: row.certificateCode, regionCode: row.regionCode, detail: row.detail, caseId: row.caseId, createdAt: row.createdAt.toISOString() };
}

/** Copied-code flags on certificates issued in the caller's region (every region for admins), oldest first. */
export async function listScanFlags(deps: AppDeps, principal: Principal | null, q: { limit: number; cursor?: string | undefined; kind?: ScanFlagKind | undefined }) {
  const p = requireRole(principal, READERS);
  const where = [regionFilter(p), q.kind === undefined ? undefined : eq(scanFlags.kind, q.kind), q.cursor === undefined ? undefined : gt(scanFlags.id, q.cursor)];
  const rows = await deps.db
    .select(flagColumns)
    .from(scanFlags)
    .innerJoin(certificates, eq(certificates.id, scanFlags.certificateId))
    .where(and(...where))
    .orderBy(asc(scanFlags.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit);
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

/**
 * One flag with the evidence a regulator works the case from: the code's scans by people and visits so far, and where
 * they were made, most first. Another region's flag is a 404, as if it did not exist.
 */
export async function scanFlagEvidence(deps: AppDeps, principal: Principal | null, id: string) {
  const p = requireRole(principal, READERS);
  const [row] = await deps.db
    .select(flagColumns)
    .from(scanFlags)
    .innerJoin(certificates, eq(certificates.id, scanFlags.certificateId))
    .where(and(eq(scanFlags.id, id), regionFilter(p)));
  if (row === undefined) throw problems.notFound(`scan flag ${id}`);
  const [totals, places] = await Promise.all([
    deps.db.select({ people: scanTotals.people, visits: scanTotals.visits }).from(scanTotals).where(eq(scanTotals.certificateId, row.certificateId)),
    deps.db
      .select({ country: scanPlaces.country, region: scanPlaces.region, city: scanPlaces.city, people: scanPlaces.people })
      .from(scanPlaces)
      .where(eq(scanPlaces.certificateId, row.certificateId))
      // Ties as on the scan page: known names before unknown ones ('' in the key).
      .orderBy(
        desc(scanPlaces.people),
        sql`nullif(${scanPlaces.country}, '') NULLS LAST`,
        sql`nullif(${scanPlaces.region}, '') NULLS LAST`,
        sql`nullif(${scanPlaces.city}, '') NULLS LAST`,
      )
      .limit(EVIDENCE_PLACES),
  ]);
  return {
    ...view(row),
    scans: { people: totals[0]?.people ?? 0, visits: totals[0]?.visits ?? 0 },
    places: places.map((pl) => ({ place: placeOfKey(pl), scans: pl.people })),
  };
}
