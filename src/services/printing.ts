/**
 * What gets printed: one certificate a viewer may read, or a batch (named certificates, a lot, a range of issue
 * days) read from the database page by page while the PDF is being written, so a day's harvest of labels never
 * sits in memory at once.
 */
import { and, asc, eq, gt, gte, inArray, lt, notInArray, sql, type SQL } from "drizzle-orm";
import { canRead, type Principal, requireRole } from "../auth/principal";
import { certificateUrl } from "../domain/credential";
import { chinaDayRange, MAX_BATCH_DAYS, MAX_BATCH_LABELS } from "../domain/printing";
import { certificates, logLeaves, parties } from "../db/schema";
import type { AppDeps } from "../deps";
import { ApiError, problems } from "../http/problem";
import type { LabelSource } from "../render/pdf";
import { getCertificate, type CertificateRow } from "./certificates";
import { getLot } from "./catalog";
import { failedLotIds } from "./lab-tests";
import { activeRecallsFor } from "./recall";

const READERS = ["admin", "regulator", "producer", "buyer", "market", "lab"] as const;
/** Rows read per query while streaming a batch. */
const PAGE = 200;

/** A voided certificate must not go back onto a crate: printing it is refused rather than silently done. */
function revokedProblem(rows: CertificateRow[]): ApiError {
  const codes = rows.map((r) => r.code);
  return new ApiError(409, "certificate-revoked", "Revoked certificates are not printed", `certificate ${codes.join(", ")} was revoked (作废) and may not be printed`, { codes });
}

/**
 * Where each certificate's issue sits in the transparency log, printed on the label so it can be checked against
 * the log offline. Certificates issued before the log existed have no leaf and print without one.
 */
async function logIndexes(deps: AppDeps, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await deps.db
    .select({ code: logLeaves.certificateCode, idx: logLeaves.idx })
    .from(logLeaves)
    .where(and(inArray(logLeaves.certificateCode, codes), eq(logLeaves.type, "certificate.issued")));
  const found = new Map<string, number>();
  for (const r of rows) {
    if (r.code === null) continue;
    const earlier = found.get(r.code);
    if (earlier === undefined || r.idx < earlier) found.set(r.code, r.idx);
  }
  return found;
}

function labelSource(deps: AppDeps, row: CertificateRow, logLeafIndex: number | undefined): LabelSource {
  return { content: row.content, url: certificateUrl(deps.publicUrl, row.code), ...(logLeafIndex !== undefined && { logLeafIndex }) };
}

/** Label sources for rows, with their log positions looked up in one query. */
async function labelSources(deps: AppDeps, rows: CertificateRow[], copiesOf?: (row: CertificateRow) => number): Promise<LabelSource[]> {
  const indexes = await logIndexes(deps, rows.map((r) => r.code));
  return rows.map((r) => ({ ...labelSource(deps, r, indexes.get(r.code)), ...(copiesOf !== undefined && { copies: copiesOf(r) }) }));
}

/**
 * Lots whose goods must not get fresh labels: a standing failed test or an active recall (on the lot or an
 * ancestor). The scan page shows the same facts to anyone who scans a label already out there.
 */
async function blockedLots(deps: AppDeps, lotIds: string[]): Promise<Map<string, "failed_test" | "recalled">> {
  const unique = [...new Set(lotIds)];
  const [failed, recalled] = await Promise.all([failedLotIds(deps, unique), activeRecallsFor(deps, unique)]);
  const blocked = new Map<string, "failed_test" | "recalled">();
  for (const id of unique) {
    if (recalled.has(id)) blocked.set(id, "recalled");
    else if (failed.has(id)) blocked.set(id, "failed_test");
  }
  return blocked;
}

const BLOCKED_ZH = { failed_test: "该批次检测不合格", recalled: "该批次已被召回" } as const;

function blockedProblem(rows: CertificateRow[], blocked: Map<string, "failed_test" | "recalled">): ApiError {
  const listed = rows.flatMap((r) => {
    const reason = blocked.get(r.lotId);
    return reason === undefined ? [] : [{ code: r.code, reason }];
  });
  const first = listed[0]!;
  return new ApiError(
    409,
    "certificate-not-printable",
    "Labels are not printed for failed or recalled lots",
    `${BLOCKED_ZH[first.reason]}，不能打印合格证 ${listed.map((l) => l.code).join("、")} (${first.reason})`,
    { certificates: listed },
  );
}

export async function certificateForPrint(deps: AppDeps, principal: Principal | null, id: string): Promise<{ row: CertificateRow; source: LabelSource }> {
  const row = await getCertificate(deps, principal, id);
  if (row.status !== "valid") throw revokedProblem([row]);
  const blocked = await blockedLots(deps, [row.lotId]);
  if (blocked.size > 0) throw blockedProblem([row], blocked);
  const [source] = await labelSources(deps, [row]);
  return { row, source: source! };
}

export interface BatchSelection {
  certificateIds?: string[] | undefined;
  lotId?: string | undefined;
  /** Issue dates, China calendar, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** Labels per certificate; each certificate's own copy count when absent. */
  copies?: number | undefined;
}

export interface PrintBatch {
  certificates: number;
  labels: number;
  /** Lots left out of a lot or day job because they failed a test or are recalled. */
  skippedLots: number;
  lotCode?: string;
  items: AsyncIterable<LabelSource>;
}

/**
 * Resolves a batch and counts its labels before anything is rendered, so every refusal (nothing matches, a revoked
 * or unknown certificate named, too many labels) is a problem response rather than a broken download.
 */
export async function printBatch(deps: AppDeps, principal: Principal | null, sel: BatchSelection): Promise<PrintBatch> {
  const p = requireRole(principal, READERS);
  const copiesOf = (row: { copies: number }) => sel.copies ?? row.copies;
  if (sel.certificateIds !== undefined) {
    const rows = await namedCertificates(deps, p, sel.certificateIds);
    const revoked = rows.filter((r) => r.status !== "valid");
    if (revoked.length > 0) throw revokedProblem(revoked);
    const blocked = await blockedLots(deps, rows.map((r) => r.lotId));
    if (blocked.size > 0) throw blockedProblem(rows, blocked);
    const labels = rows.reduce((n, r) => n + copiesOf(r), 0);
    checkLabelCount(labels);
    return { certificates: rows.length, labels, skippedLots: 0, items: fromArray(await labelSources(deps, rows, copiesOf)) };
  }

  const where: SQL[] = [eq(certificates.status, "valid")];
  let lotCode: string | undefined;
  if (sel.lotId !== undefined) {
    const lot = await getLot(deps, p, sel.lotId);
    lotCode = lot.code;
    where.push(eq(certificates.lotId, lot.id));
  }
  if (p.role === "producer" || p.role === "buyer") where.push(eq(certificates.partyId, p.partyId ?? ""));
  else if (sel.lotId === undefined) {
    throw problems.validation([{ path: "lotId", message: "is needed to print by date unless you print your own certificates: name the lot or the certificates" }]);
  }
  if (sel.from !== undefined || sel.to !== undefined) {
    const from = sel.from ?? sel.to!;
    const to = sel.to ?? sel.from!;
    const range = chinaDayRange(from, to);
    if (range.days < 1) throw problems.validation([{ path: "to", message: "must not be before from" }]);
    if (range.days > MAX_BATCH_DAYS) throw problems.validation([{ path: "to", message: `a batch covers at most ${MAX_BATCH_DAYS} days` }]);
    where.push(gte(certificates.issuedAt, range.start), lt(certificates.issuedAt, range.end));
  }

  // Failed and recalled lots are left out of lot and day jobs; if that leaves nothing, the answer says why.
  const lotsInJob = await deps.db.selectDistinct({ lotId: certificates.lotId }).from(certificates).where(and(...where));
  const blocked = await blockedLots(deps, lotsInJob.map((l) => l.lotId));
  if (blocked.size > 0) where.push(notInArray(certificates.lotId, [...blocked.keys()]));
  const [totals] = await deps.db
    .select({ count: sql<number>`count(*)::int`, copies: sql<number>`coalesce(sum(${certificates.copies}), 0)::int` })
    .from(certificates)
    .where(and(...where));
  const count = totals?.count ?? 0;
  if (count === 0 && blocked.size > 0) {
    const reasons = [...new Set(blocked.values())].map((r) => BLOCKED_ZH[r]).join("，");
    throw new ApiError(409, "certificate-not-printable", "Labels are not printed for failed or recalled lots", `${reasons}，没有可以打印的合格证`, {
      lots: [...blocked].map(([lotId, reason]) => ({ lotId, reason })),
    });
  }
  if (count === 0) throw new ApiError(404, "nothing-to-print", "Nothing to print", "no valid certificate matches the selection");
  const labels = sel.copies === undefined ? (totals?.copies ?? 0) : count * sel.copies;
  checkLabelCount(labels);
  return { certificates: count, labels, skippedLots: blocked.size, ...(lotCode !== undefined && { lotCode }), items: pagesOf(deps, where, copiesOf) };
}

function checkLabelCount(labels: number): void {
  if (labels > MAX_BATCH_LABELS) {
    throw new ApiError(400, "too-many-labels", "Too many labels for one print job", `the selection makes ${labels} labels; one job prints at most ${MAX_BATCH_LABELS}: split it by lot or by day`, {
      labels,
      max: MAX_BATCH_LABELS,
    });
  }
}

/** Named certificates in the order given; one the viewer may not see answers like one that does not exist. */
async function namedCertificates(deps: AppDeps, p: Principal, ids: string[]): Promise<CertificateRow[]> {
  const unique = [...new Set(ids)];
  const found = await deps.db
    .select({ row: certificates, regionCode: parties.regionCode })
    .from(certificates)
    .innerJoin(parties, eq(parties.id, certificates.partyId))
    .where(inArray(certificates.id, unique));
  const byId = new Map(found.filter((f) => canRead(p, { partyId: f.row.partyId, regionCode: f.regionCode })).map((f) => [f.row.id, f.row]));
  const missing = unique.find((id) => !byId.has(id));
  if (missing !== undefined) throw problems.notFound(`certificate ${missing}`);
  return unique.map((id) => byId.get(id)!);
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Keyset pages in issue order (ids are time-ordered), fetched only as the renderer asks for more. */
async function* pagesOf(deps: AppDeps, where: SQL[], copiesOf: (row: CertificateRow) => number): AsyncGenerator<LabelSource> {
  let after: string | undefined;
  for (;;) {
    const rows = await deps.db
      .select()
      .from(certificates)
      .where(and(...where, ...(after === undefined ? [] : [gt(certificates.id, after)])))
      .orderBy(asc(certificates.id))
      .limit(PAGE);
    yield* await labelSources(deps, rows, copiesOf);
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}
