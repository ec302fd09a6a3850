import { and, asc, eq, gt, gte, like, lt, sql, type SQL } from "drizzle-orm";
import { type Principal, requireParty, requireRole } from "../auth/principal";
import { CHECK_VIOLATION, pgError } from "../db/errors";
import { certificateClaims, certificateReceipts, certificates, lots, lotTests, marketFlags, marketReceipts, marketSellers, parties, products } from "../db/schema";
import type { AppDeps } from "../deps";
import { uuidv7 } from "../domain/ids";
import type { LedgerLine } from "../domain/market/ledger";
import { type MarketDecision, countsAgainstCertificate, proofOf, remainingOf, sellerIdentity } from "../domain/market/receipt-rules";
import { upstreamSummary, type UpstreamSummary } from "../domain/market/upstream";
import { gateVerdict, type GateVerdict } from "../domain/market/verdict";
import { regionPrefix } from "../domain/region";
import { convertQuantity, roundQuantity } from "../domain/units";
import { problems } from "../http/problem";
import { toPage } from "../http/pagination";
import { checkHandover } from "../domain/cold-chain/handover";
import { rangeForProduct } from "../domain/cold-chain/ranges";
import { verifyCertificate, type VerifyReason, type VerifyStatus } from "./verify";
import { type CertificateStanding, standingByCode } from "./certificate-standing";
import { rowsOf } from "../db/rows";

/** Clerks at the gate, and regulators inspecting a market, check codes; only a market records receipts. */
export const GATE_CHECKERS = ["market", "regulator"] as const;
const LEDGER_READERS = ["market", "regulator", "admin"] as const;

// ── The check ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface GateCheck {
  code: string;
  displayCode: string | null;
  genuine: boolean;
  valid: boolean;
  status: VerifyStatus;
  reasons: VerifyReason[];
  verdict: GateVerdict;
  certificateId: string | null;
  product: { name: string; category: string } | null;
  quantity: { amount: number; unit: string } | null;
  /** Received across all markets (accepted and held receipts), and left to receive, in the certificate's unit. */
  received: number | null;
  /** Collected under it by buyers whose own certificates (样式二) name it; what is left counts it too. */
  claimed: number | null;
  remaining: number | null;
  issuer: { name: string; creditCode: string | null; phone: string; regionCode: string; regionName: string | null } | null;
  lot: { id: string; code: string; harvestedAt: string } | null;
  issueDate: string | null;
  upstream: UpstreamSummary | null;
  /** Active recalls reaching the goods: on the lot or an ancestor lot (`via` null), or through an upstream certificate. */
  recalls: { recallId: string; lotId: string; reason: string; recalledAt: string; via: string | null }[];
  coldChain: {
    handover: { flagged: boolean; celsius: number; at: string; limitC: number | null; reason: string | null } | null;
    openExcursions: number;
  };
}

/**
 * Everything a clerk needs about a scanned or typed code, in one answer. A code failing its check character is
 * answered before any query (the clerk retypes at once); otherwise one statement (shared with the other checks of the
 * same event-loop turn) reads the certificate, its lineage's recalls and failures, its upstream tree, what markets
 * received and the lot's open excursions, and verifyCertificate judges it; the handover check runs beside it.
 */
export async function checkAtGate(deps: AppDeps, principal: Principal | null, rawCode: string): Promise<GateCheck> {
  requireRole(principal, GATE_CHECKERS);
  const normalized = deps.codeScheme.normalize(rawCode);
  const code = normalized.ok ? normalized.code : rawCode.trim();
  const standing = normalized.ok ? await standingByCode(deps, normalized.code) : null;
  const verified = await verifyCertificate(deps, { code: rawCode }, normalized.ok ? standing : undefined);
  const handover = standing === null ? null : handoverOf(standing);
  const content = verified.certificate;
  const facts = content === null || standing === null ? undefined : { id: standing.row.id, received: standing.received, open: standing.openExcursions };
  const received = facts === undefined ? null : roundQuantity(facts.received);
  const claimed = standing === null || content === null ? null : roundQuantity(standing.claimed);
  const remaining = content === null || received === null ? null : remainingOf(content.quantity.amount, received + (claimed ?? 0));
  const openExcursions = facts?.open ?? 0;
  const genuine = content !== null;
  const verdict = gateVerdict({
    genuine,
    status: verified.status,
    valid: verified.valid,
    remaining,
    coldChainFlagged: handover?.flagged ?? false,
    openExcursions,
  });
  return {
    code,
    displayCode: normalized.ok ? deps.codeScheme.display(normalized.code) : null,
    genuine,
    valid: verified.valid,
    status: verified.status,
    reasons: verified.reasons,
    verdict,
    certificateId: facts?.id ?? null,
    product: content === null ? null : { name: content.product.name, category: content.product.category },
    quantity: content === null ? null : content.quantity,
    received,
    claimed,
    remaining,
    issuer:
      content === null
        ? null
        : {
            name: content.issuer.name,
            creditCode: content.issuer.creditCode,
            phone: content.issuer.phone,
            regionCode: content.origin.regionCode,
            regionName: content.origin.regionName,
          },
    lot: content === null ? null : content.lot,
    issueDate: content?.issueDate ?? null,
    upstream: upstreamSummary(verified.upstream),
    recalls: standing === null || content === null ? [] : gateRecalls(standing),
    coldChain: {
      handover:
        handover === null ? null : { flagged: handover.flagged, celsius: handover.celsius, at: handover.at, limitC: handover.limitC, reason: handover.reason },
      openExcursions,
    },
  };
}

/** The handover check on the newest reading the standing statement read, against the product's storage range. */
function handoverOf(standing: CertificateStanding) {
  const last = standing.lastReading;
  const range = last === null ? null : rangeForProduct(last.product);
  if (last === null || range === null) return null;
  return { ...checkHandover(range, last.celsius), at: last.at, celsius: last.celsius };
}

function gateRecalls(standing: CertificateStanding): GateCheck["recalls"] {
  const out: GateCheck["recalls"] = standing.recalls.map((r) => ({ recallId: r.recallId, lotId: r.recalledLotId, reason: r.reason, recalledAt: r.recalledAt, via: null }));
  for (const t of standing.inherited) {
    for (const r of t.recalls) {
      if (!out.some((o) => o.recallId === r.recallId)) out.push({ recallId: r.recallId, lotId: r.recalledLotId, reason: r.reason, recalledAt: r.recalledAt, via: t.code });
    }
  }
  return out;
}

// ── Receipts ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface NewReceipt {
  code?: string | undefined;
  rapidTestId?: string | undefined;
  productName?: string | undefined;
  sellerName: string;
  sellerCreditCode?: string | undefined;
  sellerIdNumber?: string | undefined;
  sellerPhone?: string | undefined;
  quantity: number;
  unit: string;
  voucherNo?: string | undefined;
  decision: MarketDecision;
  reason?: string | undefined;
}

export type ReceiptRow = typeof marketReceipts.$inferSelect;

interface CertificateForReceipt {
  id: string;
  code: string;
  lotId: string;
  quantity: number;
  unit: string;
  productName: string;
  originRegionCode: string;
}

async function certificateByCode(deps: AppDeps, rawCode: string): Promise<CertificateForReceipt> {
  const normalized = deps.codeScheme.normalize(rawCode);
  if (!normalized.ok) throw problems.validation([{ path: "code", message: normalized.message }]);
  const [row] = await deps.db
    .select({
      id: certificates.id,
      code: certificates.code,
      lotId: certificates.lotId,
      quantity: certificates.quantity,
      unit: certificates.unit,
      content: certificates.content,
    })
    .from(certificates)
    .where(eq(certificates.code, normalized.code));
  if (row === undefined) throw problems.notFound(`certificate ${deps.codeScheme.display(normalized.code)}`);
  return { ...row, productName: row.content.product.name, originRegionCode: row.content.origin.regionCode };
}

/** A rapid test this market recorded; another party's test is answered as unknown. */
async function ownRapidTest(deps: AppDeps, marketId: string, testId: string) {
  const [row] = await deps.db
    .select({ id: lotTests.id, kind: lotTests.kind, verdict: lotTests.verdict, lotId: lotTests.lotId, productName: products.name })
    .from(lotTests)
    .innerJoin(lots, eq(lots.id, lotTests.lotId))
    .innerJoin(products, eq(products.id, lots.productId))
    .where(and(eq(lotTests.id, testId), eq(lotTests.recordedBy, marketId)));
  if (row === undefined) throw problems.notFound(`test ${testId}`);
  return row;
}

/** What markets received of a certificate plus what buyers' certificates claimed of it: both use its goods up. */
async function receivedOf(deps: AppDeps, certificateId: string): Promise<number> {
  const [[row], [claims]] = await Promise.all([
    deps.db.select({ received: certificateReceipts.receivedQuantity }).from(certificateReceipts).where(eq(certificateReceipts.certificateId, certificateId)),
    deps.db.select({ claimed: certificateClaims.claimedQuantity }).from(certificateClaims).where(eq(certificateClaims.certificateId, certificateId)),
  ]);
  return (row?.received ?? 0) + (claims?.claimed ?? 0);
}

/**
 * Records one receipt in the market's ledger and the seller in its seller file. Against a certificate, the database
 * takes the quantity (accepted and held goods) and refuses a receipt past what the certificate covers: the clerk gets
 * a 409 naming what is left, and regulators get a flag, because more goods than certified means a copied or reused
 * certificate. Goods without a certificate are let in only on a passing rapid test this market recorded.
 */
export async function recordReceipt(
  deps: AppDeps,
  principal: Principal | null,
  input: NewReceipt,
  /** Runs in the receipt's transaction just before its row is stored (the idempotency key claims its slot there). */
  beforeInsert?: (tx: AppDeps["db"], row: ReceiptRow) => Promise<void>,
): Promise<ReceiptRow> {
  const p = requireParty(principal, ["market"]);
  const cert = input.code === undefined ? null : await certificateByCode(deps, input.code);
  const test = input.rapidTestId === undefined ? null : await ownRapidTest(deps, p.partyId, input.rapidTestId);

  const errors: { path: string; message: string }[] = [];
  if (input.decision === "accept" && cert === null && test === null) {
    errors.push({ path: "code", message: "accepting goods needs a certificate code, or a passing market rapid test (rapidTestId)" });
  }
  if (test !== null && test.kind !== "market_rapid") errors.push({ path: "rapidTestId", message: `is a ${test.kind} test, not a market rapid test` });
  if (test !== null && input.decision === "accept" && cert === null && test.verdict !== "pass") {
    errors.push({ path: "rapidTestId", message: `the rapid test's verdict is ${test.verdict}; goods without a certificate are accepted on a passing test only` });
  }
  const certificateQuantity = cert === null ? null : convertQuantity(input.quantity, input.unit, cert.unit);
  if (cert !== null && certificateQuantity === null) {
    errors.push({ path: "unit", message: `${input.unit} cannot be converted to the certificate's unit ${cert.unit}` });
  }
  const productName = cert?.productName ?? test?.productName ?? input.productName;
  if (productName === undefined) errors.push({ path: "productName", message: "name the product when there is neither a certificate nor a rapid test" });
  if (errors.length > 0) throw problems.validation(errors);

  if (cert !== null && input.decision === "accept") {
    const verified = await verifyCertificate(deps, { code: cert.code });
    if (!verified.valid) {
      throw problems.conflict("certificate-not-acceptable", `certificate ${deps.codeScheme.display(cert.code)} is ${verified.status}; hold or reject the goods instead`, {
        certificateStatus: verified.status,
        reasons: verified.reasons,
      });
    }
  }

  const now = deps.clock();
  const identity = sellerIdentity({ name: input.sellerName, creditCode: input.sellerCreditCode, idNumber: input.sellerIdNumber, phone: input.sellerPhone });
  try {
    return await deps.db.transaction(async (tx) => {
      const [seller] = await tx
        .insert(marketSellers)
        .values({
          id: uuidv7(now, deps.randomBytes),
          marketId: p.partyId,
          identity,
          name: input.sellerName,
          creditCode: input.sellerCreditCode ?? null,
          idNumber: input.sellerIdNumber?.toUpperCase() ?? null,
          phone: input.sellerPhone ?? null,
          firstSeenAt: now,
          lastSeenAt: now,
        })
        .onConflictDoUpdate({
          target: [marketSellers.marketId, marketSellers.identity],
          // The latest name and phone win; an ID number once given is kept when a later receipt omits it.
          set: {
            name: input.sellerName,
            phone: sql`coalesce(excluded.phone, ${marketSellers.phone})`,
            idNumber: sql`coalesce(excluded.id_number, ${marketSellers.idNumber})`,
            lastSeenAt: sql`greatest(${marketSellers.lastSeenAt}, excluded.last_seen_at)`,
          },
        })
        .returning({ id: marketSellers.id });
      const row: ReceiptRow = {
        id: uuidv7(now, deps.randomBytes),
        marketId: p.partyId,
        sellerId: seller!.id,
        sellerName: input.sellerName,
        sellerCreditCode: input.sellerCreditCode ?? null,
        sellerPhone: input.sellerPhone ?? null,
        certificateId: cert?.id ?? null,
        certificateCode: cert?.code ?? null,
        rapidTestId: test?.id ?? null,
        lotId: cert?.lotId ?? test?.lotId ?? null,
        productName: productName!,
        quantity: roundQuantity(input.quantity),
        unit: input.unit,
        certificateQuantity,
        voucherNo: input.voucherNo ?? null,
        decision: input.decision,
        reason: input.reason ?? null,
        proof: proofOf({ certificateId: cert?.id ?? null, rapidTestId: test?.id ?? null }),
        receivedAt: now,
        recordedByKey: p.keyId,
      };
      await beforeInsert?.(tx, row);
      await tx.insert(marketReceipts).values(row);
      return row;
    });
  } catch (err) {
    const e = pgError(err);
    if (cert === null || e?.code !== CHECK_VIOLATION || e.constraint !== "certificate_receipts_within_quantity") throw err;
    const remaining = remainingOf(cert.quantity, await receivedOf(deps, cert.id));
    const flagId = await raiseQuantityFlag(deps, p, cert, { requested: certificateQuantity!, remaining, unit: cert.unit, quantity: input.quantity, quantityUnit: input.unit });
    throw problems.conflict(
      "certificate-quantity-exceeded",
      `certificate ${deps.codeScheme.display(cert.code)} has ${remaining} ${cert.unit} left to receive; this receipt is ${certificateQuantity} ${cert.unit}`,
      { remaining, unit: cert.unit, flagId },
    );
  }
}

async function raiseQuantityFlag(
  deps: AppDeps,
  p: Principal & { partyId: string },
  cert: CertificateForReceipt,
  detail: Record<string, unknown>,
): Promise<string> {
  const now = deps.clock();
  const id = uuidv7(now, deps.randomBytes);
  await deps.db.insert(marketFlags).values({
    id,
    kind: "quantity_exceeded",
    marketId: p.partyId,
    marketRegionCode: p.regionCode ?? "",
    originRegionCode: cert.originRegionCode,
    certificateId: cert.id,
    certificateCode: cert.code,
    detail,
    recordedByKey: p.keyId,
    createdAt: now,
  });
  // The certificate's page warns of it: cached copies must go.
  await deps.onCertificateChanged?.(cert.code);
  return id;
}

export function receiptView(deps: AppDeps, row: ReceiptRow) {
  return {
    id: row.id,
    marketId: row.marketId,
    sellerId: row.sellerId,
    seller: { name: row.sellerName, creditCode: row.sellerCreditCode, phone: row.sellerPhone },
    certificateCode: row.certificateCode,
    displayCode: row.certificateCode === null ? null : deps.codeScheme.display(row.certificateCode),
    rapidTestId: row.rapidTestId,
    lotId: row.lotId,
    productName: row.productName,
    quantity: row.quantity,
    unit: row.unit,
    certificateQuantity: row.certificateQuantity,
    voucherNo: row.voucherNo,
    decision: row.decision,
    reason: row.reason,
    proof: row.proof,
    countsAgainstCertificate: row.certificateId !== null && countsAgainstCertificate(row.decision),
    receivedAt: row.receivedAt.toISOString(),
  };
}

// ── The ledger ────────────────────────────────────────────────────────────────────────────────────────────────

export interface LedgerQuery {
  /** China calendar dates, both inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
}

const chinaMidnight = (date: string) => new Date(`${date}T00:00:00+08:00`);

/** Which receipts the principal sees: a market its own, a regulator its region's markets, an admin all. */
function ledgerScope(p: Principal, q: LedgerQuery): SQL[] {
  const where: SQL[] = [];
  if (p.role === "market") where.push(eq(marketReceipts.marketId, p.partyId ?? ""));
  else if (p.role === "regulator") where.push(like(parties.regionCode, `${regionPrefix(p.regionCode ?? "")}%`));
  if (q.from !== undefined) where.push(gte(marketReceipts.receivedAt, chinaMidnight(q.from)));
  if (q.to !== undefined) where.push(lt(marketReceipts.receivedAt, new Date(chinaMidnight(q.to).getTime() + 86_400_000)));
  if (q.cursor !== undefined) where.push(gt(marketReceipts.id, q.cursor));
  return where;
}

async function ledgerRows(deps: AppDeps, p: Principal, q: LedgerQuery, limit: number) {
  return deps.db
    .select({ receipt: marketReceipts, marketName: parties.name, sellerIdNumber: marketSellers.idNumber })
    .from(marketReceipts)
    .innerJoin(parties, eq(parties.id, marketReceipts.marketId))
    .innerJoin(marketSellers, eq(marketSellers.id, marketReceipts.sellerId))
    .where(and(...ledgerScope(p, q)))
    .orderBy(asc(marketReceipts.id))
    .limit(limit);
}

export async function listReceipts(deps: AppDeps, principal: Principal | null, q: LedgerQuery & { limit: number }) {
  const p = requireRole(principal, LEDGER_READERS);
  const rows = await ledgerRows(deps, p, q, q.limit + 1);
  const page = toPage(
    rows.map((r) => ({ ...r, id: r.receipt.id })),
    q.limit,
  );
  const regulatorView = p.role !== "market";
  return {
    items: page.items.map((r) => ({
      ...receiptView(deps, r.receipt),
      marketName: r.marketName,
      // The seller's ID number is for regulators only; everyone else learns whether the file has one.
      ...(regulatorView ? { sellerIdNumber: r.sellerIdNumber } : {}),
    })),
    nextCursor: page.nextCursor,
  };
}

/** Who the export is for: regulators (and admins) get the ID-number column, markets never do. */
export function ledgerAudience(principal: Principal | null): "market" | "regulator" {
  return requireRole(principal, LEDGER_READERS).role === "market" ? "market" : "regulator";
}

/**
 * The ledger for export, read in keyset chunks so a year of receipts streams out in bounded memory. Each chunk is
 * one indexed range read; the caller writes lines as they come.
 */
export async function* ledgerLines(deps: AppDeps, principal: Principal | null, q: Omit<LedgerQuery, "cursor">, chunk = 1000): AsyncGenerator<LedgerLine[]> {
  const p = requireRole(principal, LEDGER_READERS);
  let cursor: string | undefined;
  for (;;) {
    const rows = await ledgerRows(deps, p, { ...q, cursor }, chunk);
    if (rows.length === 0) return;
    yield rows.map(({ receipt: r, marketName, sellerIdNumber }) => ({
      receivedAt: r.receivedAt,
      productName: r.productName,
      quantity: r.quantity,
      unit: r.unit,
      sellerName: r.sellerName,
      sellerCreditCode: r.sellerCreditCode,
      sellerIdNumber: p.role === "market" ? null : sellerIdNumber,
      sellerPhone: r.sellerPhone,
      certificateCode: r.certificateCode,
      decision: r.decision,
      reason: r.reason,
      voucherNo: r.voucherNo,
      proof: r.proof,
      rapidTestId: r.rapidTestId,
      marketName,
    }));
    if (rows.length < chunk) return;
    cursor = rows.at(-1)!.receipt.id;
  }
}

// ── Seller files and flags ────────────────────────────────────────────────────────────────────────────────────

export async function listSellers(deps: AppDeps, principal: Principal | null, q: { limit: number; cursor?: string | undefined }) {
  const p = requireParty(principal, ["market", "regulator"]);
  const where: SQL[] = [];
  if (p.role === "market") where.push(eq(marketSellers.marketId, p.partyId));
  else where.push(like(parties.regionCode, `${regionPrefix(p.regionCode ?? "")}%`));
  if (q.cursor !== undefined) where.push(gt(marketSellers.id, q.cursor));
  const rows = await deps.db
    .select({ seller: marketSellers })
    .from(marketSellers)
    .innerJoin(parties, eq(parties.id, marketSellers.marketId))
    .where(and(...where))
    .orderBy(asc(marketSellers.id))
    .limit(q.limit + 1);
  const page = toPage(
    rows.map((r) => r.seller),
    q.limit,
  );
  return {
    items: page.items.map((s) => ({
      id: s.id,
      marketId: s.marketId,
      name: s.name,
      creditCode: s.creditCode,
      phone: s.phone,
      hasIdNumber: s.idNumber !== null,
      ...(p.role === "regulator" ? { idNumber: s.idNumber } : {}),
      firstSeenAt: s.firstSeenAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

/** Flags a market raised, for that market; for regulators, flags at their markets or on certificates from their region. */
export async function listFlags(deps: AppDeps, principal: Principal | null, q: { limit: number; cursor?: string | undefined }) {
  const p = requireRole(principal, ["market", "regulator", "admin"]);
  const where: SQL[] = [];
  if (p.role === "market") where.push(eq(marketFlags.marketId, p.partyId ?? ""));
  if (p.role === "regulator") {
    const prefix = `${regionPrefix(p.regionCode ?? "")}%`;
    where.push(sql`(${like(marketFlags.marketRegionCode, prefix)} OR ${like(marketFlags.originRegionCode, prefix)})`);
  }
  if (q.cursor !== undefined) where.push(gt(marketFlags.id, q.cursor));
  const rows = await deps.db
    .select()
    .from(marketFlags)
    .where(and(...where))
    .orderBy(asc(marketFlags.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit);
  return {
    items: page.items.map((f) => ({
      id: f.id,
      kind: f.kind,
      marketId: f.marketId,
      marketRegionCode: f.marketRegionCode,
      originRegionCode: f.originRegionCode,
      certificateCode: f.certificateCode,
      detail: f.detail,
      createdAt: f.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

