import { and, eq, inArray, sql } from "drizzle-orm";
import { type Principal, requireParty } from "../auth/principal";
import { CHECK_VIOLATION, pgError, UNIQUE_VIOLATION } from "../db/errors";
import { certificateClaims, certificateReceipts, certificates, certificateUpstream, lots, upstreamPhotos } from "../db/schema";
import { textArray } from "../db/batch";
import type { AppDeps } from "../deps";
import { type CertificateContent, TEMPLATES } from "../domain/certificate";
import { regionCovers } from "../domain/region";
import { roundQuantity } from "../domain/units";
import { claimCheck, type FieldError, type UpstreamCandidate, type UpstreamInput, type UpstreamReference, upstreamListErrors } from "../domain/upstream/references";
import type { GateWarning } from "../domain/production/gate-findings";
import { ApiError, problems } from "../http/problem";
import { standingByCode } from "./certificate-standing";
import { byIdempotencyKey, type CertificateRow, type IssueInput, issuingRequest, remainingProblem, requireSigner, signNewCertificate } from "./certificates";
import { runIssuingChecks } from "./issuing-checks";
import { acceptedFile, type UploadedFile } from "./uploaded-files";
import { verifyCertificate } from "./verify";

export type UpstreamPhotoRow = typeof upstreamPhotos.$inferSelect;

export interface BuyerIssueInput extends IssueInput {
  upstream: UpstreamInput[];
}

const refused = (errors: FieldError[]) =>
  new ApiError(422, "upstream-refused", "The upstream certificates do not back this certificate", errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors });

interface Resolved {
  candidates: Map<number, UpstreamCandidate & { id: string; content: CertificateContent }>;
  photos: Map<string, UpstreamPhotoRow>;
  errors: FieldError[];
}

/**
 * Looks up what the entries name: the certificates issued here (with their status as verify answers it, upstream
 * included, and what buyers have already claimed of them), and the buyer's own uploaded photos of paper certificates.
 * Every lookup of the request shares one statement (certificate-standing.ts batches them).
 */
async function resolveUpstream(deps: AppDeps, partyId: string, entries: readonly UpstreamInput[]): Promise<Resolved> {
  const errors: FieldError[] = [];
  const candidates: Resolved["candidates"] = new Map();
  await Promise.all(
    entries.map(async (e, i) => {
      if (e.kind !== "certificate") return;
      const normalized = deps.codeScheme.normalize(e.code);
      if (!normalized.ok) {
        errors.push({ path: `upstream.${i}.code`, message: normalized.message });
        return;
      }
      const standing = await standingByCode(deps, normalized.code);
      if (standing === null) return;
      const verified = await verifyCertificate(deps, { code: normalized.code }, standing);
      candidates.set(i, {
        id: standing.row.id,
        code: standing.row.code,
        quantity: standing.row.quantity,
        unit: standing.row.unit,
        // Goods taken in at a market gate under it are no longer there to collect.
        claimed: roundQuantity(standing.claimed + standing.received),
        status: verified.valid ? "valid" : verified.status === "valid" ? "not verifiable (its record does not match its signature)" : verified.status,
        content: standing.row.content,
      });
    }),
  );
  const photoIds = entries.flatMap((e) => (e.kind === "paper" ? [e.photoId] : []));
  const photos = new Map<string, UpstreamPhotoRow>();
  if (photoIds.length > 0) {
    const rows = await deps.db
      .select()
      .from(upstreamPhotos)
      .where(and(inArray(upstreamPhotos.id, photoIds), eq(upstreamPhotos.partyId, partyId)));
    for (const r of rows) photos.set(r.id, r);
  }
  return { candidates, photos, errors };
}

/**
 * Issues a 样式二 certificate for a buyer's mixed or repacked lot. It names the certificates the goods were
 * collected under: each one issued here must be valid and have the claimed quantity unclaimed, and the claims are
 * stored with the certificate in one transaction, where the database (certificate_claims) refuses a claim past an
 * upstream certificate's quantity however many buyers race. External entries are recorded as given; a paper
 * certificate needs its photo, uploaded first.
 */
export async function issueBuyerCertificate(
  deps: AppDeps,
  principal: Principal | null,
  input: BuyerIssueInput,
  idempotencyKey?: string,
): Promise<{ row: CertificateRow; replayed: boolean; warnings: GateWarning[] }> {
  const p = requireParty(principal, ["buyer"]);
  const signer = requireSigner(deps);
  if (idempotencyKey !== undefined) {
    const existing = await byIdempotencyKey(deps, p.partyId, idempotencyKey);
    if (existing !== undefined) return { row: existing, replayed: true, warnings: [] };
  }
  const request = await issuingRequest(deps, p.partyId, input);
  const { lot, product } = request.found;
  const { quantity: requested, unit } = request;

  const { candidates, photos, errors } = await resolveUpstream(deps, p.partyId, input.upstream);
  // An entry naming a certificate here may leave out the unit: it is then the upstream certificate's own.
  const entries = input.upstream.map((e, i): UpstreamInput => (e.kind === "certificate" && e.unit === undefined ? { ...e, unit: candidates.get(i)?.unit } : e));
  errors.push(...upstreamListErrors({ quantity: requested, unit }, entries));
  const claims = new Map<number, number>();
  entries.forEach((e, i) => {
    if (e.kind === "certificate") {
      if (errors.some((x) => x.path === `upstream.${i}.code`)) return;
      const checked = claimCheck(i, { code: e.code, quantity: e.quantity, unit: e.unit ?? "" }, candidates.get(i), (c) => deps.codeScheme.display(c));
      if (checked.ok) claims.set(i, checked.claim);
      else errors.push(checked.error);
    } else if (e.kind === "paper" && !photos.has(e.photoId)) {
      errors.push({ path: `upstream.${i}.photoId`, message: `no photo ${e.photoId} was uploaded by you (POST /v1/upstream-photos)` });
    }
  });
  if (errors.length > 0) throw refused(errors.sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true })));

  const checks = await runIssuingChecks(deps, lot, product.name, input.basis, input.testIds ?? []);
  const references = entries.map((e, i): UpstreamReference => {
    const quantity = { amount: roundQuantity(e.quantity), unit: e.unit! };
    if (e.kind === "other_platform") return { kind: "other_platform", platform: e.platform, code: e.code, quantity };
    if (e.kind === "paper") {
      const photo = photos.get(e.photoId)!;
      return { kind: "paper", number: e.number, quantity, photo: { id: photo.id, sha256: photo.sha256 } };
    }
    const c = candidates.get(i)!;
    return {
      kind: "certificate",
      code: c.code,
      quantity,
      product: c.content.product.name,
      issuer: { name: c.content.issuer.name, creditCode: c.content.issuer.creditCode },
      issueDate: c.content.issueDate,
    };
  });

  const row = await signNewCertificate(deps, signer, {
    partyId: p.partyId,
    request,
    template: TEMPLATES["2025-buyer"],
    basis: input.basis,
    copies: input.copies,
    idempotencyKey,
    tests: checks.tests,
    upstream: references,
  });
  const upstreamRows = entries.map((e, i): typeof certificateUpstream.$inferInsert => ({
    certificateId: row.id,
    position: i,
    kind: e.kind,
    upstreamCertificateId: e.kind === "certificate" ? candidates.get(i)!.id : null,
    quantity: roundQuantity(e.quantity),
    unit: e.unit!,
    claimQuantity: claims.get(i) ?? null,
    platform: e.kind === "other_platform" ? e.platform : null,
    externalCode: e.kind === "other_platform" ? e.code : null,
    paperNumber: e.kind === "paper" ? e.number : null,
    photoId: e.kind === "paper" ? e.photoId : null,
  }));

  try {
    // The certificate's trigger takes its quantity from the lot, the upstream rows' trigger takes the claims from the
    // upstream certificates: both bounds are checks in the database, and either refusal undoes the whole issue.
    await deps.db.transaction(async (tx) => {
      // The claim triggers lock each upstream certificate's row; taking the locks first, in one order, keeps two
      // buyers naming the same certificates in different orders from deadlocking.
      const upstreamIds = [...new Set(upstreamRows.flatMap((u) => (u.upstreamCertificateId == null ? [] : [u.upstreamCertificateId])))].sort();
      if (upstreamIds.length > 0) {
        await tx.execute(sql`SELECT 1 FROM certificates WHERE id = ANY(${textArray(upstreamIds)}::text[]) ORDER BY id FOR NO KEY UPDATE`);
      }
      await tx.insert(certificates).values(row);
      await tx.insert(certificateUpstream).values(upstreamRows);
    });
    return { row, replayed: false, warnings: checks.warnings };
  } catch (err) {
    const e = pgError(err);
    if (e?.code === CHECK_VIOLATION && e.constraint === "lots_certified_within_quantity") {
      const [fresh] = await deps.db.select().from(lots).where(eq(lots.id, lot.id));
      throw remainingProblem(fresh ?? lot, request.lotQuantity);
    }
    if (e?.code === CHECK_VIOLATION && e.constraint === "certificate_claims_within_quantity") throw await claimsRefused(deps, entries, candidates, claims);
    if (e?.code === UNIQUE_VIOLATION && idempotencyKey !== undefined) {
      const existing = await byIdempotencyKey(deps, p.partyId, idempotencyKey);
      if (existing !== undefined) return { row: existing, replayed: true, warnings: [] };
    }
    throw err;
  }
}

/** A concurrent buyer claimed first: say which entries no longer fit, with what is left of each now. */
async function claimsRefused(deps: AppDeps, entries: readonly UpstreamInput[], candidates: Resolved["candidates"], claims: ReadonlyMap<number, number>) {
  const ids = [...claims.keys()].map((i) => candidates.get(i)!.id);
  const [claimRows, receiptRows] = await Promise.all([
    deps.db.select().from(certificateClaims).where(inArray(certificateClaims.certificateId, ids)),
    deps.db.select().from(certificateReceipts).where(inArray(certificateReceipts.certificateId, ids)),
  ]);
  const claimedNow = new Map<string, number>();
  for (const r of claimRows) claimedNow.set(r.certificateId, r.claimedQuantity);
  for (const r of receiptRows) claimedNow.set(r.certificateId, (claimedNow.get(r.certificateId) ?? 0) + r.receivedQuantity);
  const errors: FieldError[] = [];
  for (const [i, claim] of claims) {
    const c = candidates.get(i)!;
    const left = roundQuantity(c.quantity - (claimedNow.get(c.id) ?? 0));
    if (claim > left) {
      errors.push({
        path: `upstream.${i}.quantity`,
        message: `certificate ${deps.codeScheme.display(c.code)} has ${left} ${c.unit} left to claim; ${claim} ${c.unit} were claimed`,
      });
    }
  }
  const entry = entries.findIndex((e) => e.kind === "certificate");
  return refused(errors.length > 0 ? errors : [{ path: `upstream.${Math.max(entry, 0)}.quantity`, message: "another certificate claimed the same goods at the same moment; try again" }]);
}

// ── Photos of paper certificates ──────────────────────────────────────────────────────────────────────────────

/** A buyer keeps the photo of a paper certificate it collected; the photo's id then goes in an upstream entry. */
export async function addUpstreamPhoto(
  deps: AppDeps,
  principal: Principal | null,
  file: UploadedFile,
): Promise<Omit<UpstreamPhotoRow, "bytes">> {
  const p = requireParty(principal, ["buyer"]);
  const row: UpstreamPhotoRow = { ...acceptedFile(deps, p.keyId, file), partyId: p.partyId };
  await deps.db.insert(upstreamPhotos).values(row);
  const { bytes: _bytes, ...meta } = row;
  return meta;
}

/** The buyer who kept it, admins, and regulators over the buyer's region may fetch a photo; others get a 404. */
export async function getUpstreamPhoto(deps: AppDeps, principal: Principal | null, id: string): Promise<UpstreamPhotoRow> {
  if (principal === null) throw problems.unauthorized();
  const [found] = await deps.db.select().from(upstreamPhotos).where(eq(upstreamPhotos.id, id));
  if (found === undefined) throw problems.notFound(`photo ${id}`);
  if (principal.role === "admin" || principal.partyId === found.partyId) return found;
  if (principal.role === "regulator" && principal.regionCode !== null) {
    const owner = await deps.db.query.parties.findFirst({ where: (t, { eq: is }) => is(t.id, found.partyId), columns: { regionCode: true } });
    if (owner !== undefined && regionCovers(principal.regionCode, owner.regionCode)) return found;
  }
  throw problems.notFound(`photo ${id}`);
}

export function upstreamPhotoUrl(deps: AppDeps, id: string): string {
  return `${deps.publicUrl}/v1/upstream-photos/${id}`;
}
