import { and, desc, eq, type SQL } from "drizzle-orm";
import type { AppDeps } from "../deps";
import { certificates, lots, products } from "../db/schema";
import { verifyCertificate, type VerifyStatus } from "./verify";

/** One level of a Digital Link: the GTIN, optionally narrowed to a lot (AI 10) and a certificate code as serial (AI 21). */
export interface ResolverLevel {
  gtin: string;
  lot?: string | undefined;
  serial?: string | undefined;
}

export interface ResolvedCertificate {
  code: string;
  productName: string;
  status: VerifyStatus;
  issuedAt: Date;
}

/** Certificates listed per level at most: a linkset is for people and programs to read, not an export. */
export const MAX_CERTIFICATES_PER_LEVEL = 20;

/**
 * The certificates a Digital Link level names, newest first, each with its verdict. The serial, when given, must be
 * a certificate code of this lot and GTIN: a serial that names nothing is unknown, never widened to its lot, since a
 * made-up serial on a label is what a counterfeit would print.
 */
export async function certificatesAt(deps: AppDeps, level: ResolverLevel): Promise<ResolvedCertificate[]> {
  const where: SQL[] = [eq(products.gtin, level.gtin)];
  if (level.lot !== undefined) where.push(eq(lots.code, level.lot));
  if (level.serial !== undefined) {
    const normalized = deps.codeScheme.normalize(level.serial);
    if (!normalized.ok) return [];
    where.push(eq(certificates.code, normalized.code));
  }
  const rows = await deps.db
    .select({ code: certificates.code, productName: products.name, issuedAt: certificates.issuedAt })
    .from(certificates)
    .innerJoin(lots, eq(lots.id, certificates.lotId))
    .innerJoin(products, eq(products.id, lots.productId))
    .where(and(...where))
    .orderBy(desc(certificates.issuedAt), desc(certificates.id))
    .limit(MAX_CERTIFICATES_PER_LEVEL);
  const verdicts = await Promise.all(rows.map((r) => verifyCertificate(deps, { code: r.code })));
  return rows.map((r, i) => ({ ...r, status: verdicts[i]!.status }));
}

/** The one a scan is sent to: the newest valid certificate, else the newest (whose page then says what is wrong). */
export function defaultCertificate(found: readonly ResolvedCertificate[]): ResolvedCertificate | undefined {
  return found.find((c) => c.status === "valid") ?? found[0];
}
