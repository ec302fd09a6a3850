import { and, eq } from "drizzle-orm";
import { type Principal, requireParty } from "../auth/principal";
import type { AppDeps } from "../deps";
import type { CertificateSigner } from "../signing/signer";
import { type Basis, CERTIFICATE_TITLE, type CertificateContent, TEMPLATES } from "../domain/certificate";
import { buildCredential, certificateUrl } from "../domain/credential";
import { chinaDate, uuidv7 } from "../domain/ids";
import { regionName } from "../domain/region";
import { convertQuantity, roundQuantity } from "../domain/units";
import { loaderFor } from "../db/batch";
import { type InsertBatcher, insertBatcher } from "../db/batched-insert";
import type { Database } from "../db/client";
import { jsonRowsInserter } from "../db/json-rows";
import { certificates, lots } from "../db/schema";
import { ApiError, problems } from "../http/problem";
import { CHECK_VIOLATION, pgError, UNIQUE_VIOLATION } from "../db/errors";
import type { GateWarning } from "../domain/production/gate-findings";
import { runIssuingChecks } from "./issuing-checks";
import { type LotForIssuing, lotForIssuing } from "./lot-for-issuing";
import { listOwned, loadOwned } from "./owned";
import { statusEntries } from "../domain/status-list";
import { allocateStatusPosition } from "./status-lists";

export type CertificateRow = typeof certificates.$inferSelect;

/** The certificate signer; a node without the private key (the Worker) answers 503. */
export function requireSigner(deps: Pick<AppDeps, "signer">): CertificateSigner {
  if (deps.signer === undefined) throw new ApiError(503, "issuing-unavailable", "Issuing runs on the origin server", "this node holds no signing key");
  return deps.signer;
}

/** The certificate a party already issued under this Idempotency-Key, if any. */
export async function byIdempotencyKey(deps: Pick<AppDeps, "db">, partyId: string, key: string): Promise<CertificateRow | undefined> {
  const [existing] = await deps.db
    .select()
    .from(certificates)
    .where(and(eq(certificates.partyId, partyId), eq(certificates.idempotencyKey, key)));
  return existing;
}

/** What a new certificate is for: the caller's lot and the quantity asked, in the certificate's unit and the lot's. */
export interface IssuingRequest {
  found: LotForIssuing;
  quantity: number;
  unit: string;
  lotQuantity: number;
}

/**
 * The caller's lot (404 when unknown or another party's) and the quantity asked: all that is left when none is
 * given; a unit that does not convert to the lot's is a 422, a quantity that is not positive a 409 naming what is left.
 */
export async function issuingRequest(
  deps: Pick<AppDeps, "db">,
  partyId: string,
  input: Pick<IssueInput, "lotId" | "quantity" | "unit">,
): Promise<IssuingRequest> {
  const found = await lotForIssuing(deps.db, partyId, input.lotId);
  if (found === null) throw problems.notFound(`lot ${input.lotId}`);
  const { lot } = found;
  const unit = input.unit ?? lot.unit;
  const quantity = input.quantity ?? roundQuantity(lot.quantity - lot.certifiedQuantity);
  const lotQuantity = convertQuantity(quantity, unit, lot.unit);
  if (lotQuantity === null) throw problems.validation([{ path: "unit", message: `${unit} cannot be converted to the lot's unit ${lot.unit}` }]);
  if (quantity <= 0 || lotQuantity <= 0) throw remainingProblem(lot, 0);
  return { found, quantity, unit, lotQuantity };
}

/**
 * The row of a new certificate, producer's (样式一) or buyer's (样式二, which adds its upstream references): the
 * template filled from the party, site, product and lot as they are now, and signed. Its place in the status lists
 * is claimed and written into the token; the INSERT of the row claims that place in the database (migration 0015).
 */
export async function signNewCertificate(
  deps: Pick<AppDeps, "db" | "publicUrl" | "clock" | "randomBytes" | "codeScheme">,
  signer: CertificateSigner,
  args: {
    partyId: string;
    request: IssuingRequest;
    template: (typeof TEMPLATES)[keyof typeof TEMPLATES];
    basis: Basis;
    copies: number | undefined;
    idempotencyKey: string | undefined;
    tests: CertificateContent["tests"];
    upstream?: CertificateContent["upstream"];
  },
): Promise<CertificateRow> {
  const { request, template, basis } = args;
  const { lot, product, site, party } = request.found;
  const issuedAt = deps.clock();
  const id = uuidv7(issuedAt, deps.randomBytes);
  const code = deps.codeScheme.generate(deps.randomBytes);
  const regionCode = site?.regionCode ?? party.regionCode;
  const content: CertificateContent = {
    code,
    templateVersion: template.version,
    title: CERTIFICATE_TITLE,
    commitmentText: template.commitmentText,
    basis,
    basisLabel: template.basisLabels[basis],
    product: { name: product.name, category: product.category, gtin: product.gtin },
    quantity: { amount: roundQuantity(request.quantity), unit: request.unit },
    origin: { regionCode, regionName: regionName(regionCode), address: site?.address ?? party.address, siteName: site?.name ?? null },
    issuer: { partyId: party.id, kind: party.kind, name: party.name, creditCode: party.creditCode, contactName: party.contactName, phone: party.phone },
    lot: { id: lot.id, code: lot.code, harvestedAt: lot.harvestedOn },
    tests: args.tests,
    issueDate: chinaDate(issuedAt),
    issuedAt: issuedAt.toISOString(),
    ...(args.upstream === undefined ? {} : { upstream: args.upstream }),
  };
  const statusPosition = await allocateStatusPosition(deps.db);
  const jwt = await signer.sign(buildCredential(content, deps.publicUrl, statusEntries(deps.publicUrl, statusPosition)), issuedAt);
  return {
    id,
    code,
    partyId: args.partyId,
    lotId: lot.id,
    templateVersion: template.version,
    basis,
    quantity: roundQuantity(request.quantity),
    unit: request.unit,
    lotQuantity: request.lotQuantity,
    copies: args.copies ?? 1,
    content,
    idempotencyKey: args.idempotencyKey ?? null,
    issuedAt,
    jwt,
    kid: signer.kid,
    status: "valid",
    revokedAt: null,
    revokeReason: null,
    revokedBy: null,
    statusList: statusPosition.list,
    statusIndex: statusPosition.index,
  };
}

const ownedCertificates = { table: certificates, id: certificates.id, partyId: certificates.partyId };

export interface IssueInput {
  lotId: string;
  quantity?: number | undefined;
  unit?: string | undefined;
  basis: Basis;
  testIds?: string[] | undefined;
  copies?: number | undefined;
}

export function remainingProblem(lot: { quantity: number; certifiedQuantity: number; unit: string }, requested: number) {
  const remaining = roundQuantity(lot.quantity - lot.certifiedQuantity);
  return problems.conflict(
    "lot-over-certified",
    `the lot has ${remaining} ${lot.unit} left to certify; ${requested} ${lot.unit} were requested`,
    { remaining, unit: lot.unit },
  );
}

/**
 * Issues a 样式一 certificate for a producer's lot: fills the template from the party, site, product and lot as they
 * are now, signs it, and takes its quantity from the lot in the same transaction, so a lot is never certified beyond
 * its quantity however many requests race.
 */
export async function issueCertificate(
  deps: AppDeps,
  principal: Principal | null,
  input: IssueInput,
  idempotencyKey?: string,
): Promise<{ row: CertificateRow; replayed: boolean; warnings: GateWarning[] }> {
  const p = requireParty(principal, ["producer"]);
  const signer = requireSigner(deps);
  if (idempotencyKey !== undefined) {
    const existing = await byIdempotencyKey(deps, p.partyId, idempotencyKey);
    if (existing !== undefined) return { row: existing, replayed: true, warnings: [] };
  }
  const request = await issuingRequest(deps, p.partyId, input);
  const { lot, product } = request.found;
  const checks = await runIssuingChecks(deps, lot, product.name, input.basis, input.testIds ?? []);
  const row = await signNewCertificate(deps, signer, {
    partyId: p.partyId,
    request,
    template: TEMPLATES["2025-producer"],
    basis: input.basis,
    copies: input.copies,
    idempotencyKey,
    tests: checks.tests,
  });

  // One INSERT statement (shared with the requests that arrive together, see insertCertificate): the database trigger
  // takes the quantity from the lot in the same statement, and the lot's check constraint refuses it when too little
  // is left, so there is no window for concurrent requests to over-certify.
  const outcome = await insertCertificate(deps.db, row)
    .then(() => "issued" as const)
    .catch(async (err: unknown) => {
      const e = pgError(err);
      if (e?.code === CHECK_VIOLATION && e.constraint === "lots_certified_within_quantity") return "exhausted" as const;
      // A concurrent request with the same idempotency key got there first: answer with its certificate.
      if (e?.code !== UNIQUE_VIOLATION || idempotencyKey === undefined) throw err;
      const existing = await byIdempotencyKey(deps, p.partyId, idempotencyKey);
      if (existing === undefined) throw err;
      return existing;
    });
  if (outcome === "exhausted") {
    const [fresh] = await deps.db.select().from(lots).where(eq(lots.id, lot.id));
    throw remainingProblem(fresh ?? lot, request.lotQuantity);
  }
  if (outcome === "issued") return { row, replayed: false, warnings: checks.warnings };
  return { row: outcome, replayed: true, warnings: [] };
}

const inserters = new WeakMap<Database, InsertBatcher<CertificateRow>>();

/**
 * Stores a new certificate. One INSERT runs at a time, carrying every certificate that arrived while the previous
 * one ran; a batch the database refuses is retried row by row, so each request still gets its own outcome (see
 * db/batched-insert.ts).
 */
function insertCertificate(db: Database, row: CertificateRow): Promise<true> {
  return loaderFor(inserters, db, (d) => insertBatcher(jsonRowsInserter(d, certificates, "insert_certificates", { spaceJoined: ["jwt"] }))).load(row);
}

export const getCertificate = (deps: AppDeps, p: Principal | null, id: string) =>
  loadOwned<CertificateRow>(deps, p, ownedCertificates, id, "certificate");

export const listCertificates = (
  deps: AppDeps,
  p: Principal | null,
  q: { limit: number; cursor?: string | undefined; lotId?: string | undefined },
) => listOwned<CertificateRow>(deps, p, ownedCertificates, q, q.lotId === undefined ? [] : [eq(certificates.lotId, q.lotId)]);

/**
 * Voids (作废) a certificate; the row stays for the record. Its quantity goes back to the lot so a mistaken
 * certificate can be reissued correctly.
 */
export async function revokeCertificate(deps: AppDeps, principal: Principal | null, id: string, reason: string): Promise<CertificateRow> {
  const p = requireParty(principal, ["producer", "buyer"]);
  const cert = await getCertificate(deps, p, id);
  if (cert.partyId !== p.partyId) throw problems.notFound(`certificate ${id}`);
  // The trigger gives the quantity back to the lot in the same statement.
  const [revoked] = await deps.db
    .update(certificates)
    .set({ status: "revoked", revokedAt: deps.clock(), revokeReason: reason, revokedBy: p.keyId })
    .where(and(eq(certificates.id, id), eq(certificates.status, "valid")))
    .returning();
  if (revoked === undefined) {
    throw problems.conflict("already-revoked", `certificate ${cert.code} was already revoked on ${cert.revokedAt?.toISOString()}`);
  }
  await deps.onCertificateChanged?.(revoked.code);
  return revoked;
}

export function certificateView(deps: AppDeps, row: CertificateRow) {
  const url = certificateUrl(deps.publicUrl, row.code);
  return {
    id: row.id,
    code: row.code,
    displayCode: deps.codeScheme.display(row.code),
    url,
    status: row.status as "valid" | "revoked",
    lotId: row.lotId,
    partyId: row.partyId,
    templateVersion: row.templateVersion,
    basis: row.basis,
    quantity: row.quantity,
    unit: row.unit,
    copies: row.copies,
    issuedAt: row.issuedAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokeReason: row.revokeReason,
    content: row.content,
    jwt: row.jwt,
    kid: row.kid,
    pdfUrl: `${deps.publicUrl}/v1/certificates/${row.id}/pdf`,
    qrSvgUrl: `${deps.publicUrl}/v1/certificates/${row.id}/qr.svg`,
  };
}
