/**
 * Rules of the market gate (进场查验) that need no database: what a clerk may decide, what a receipt proves, and
 * which receipts count against a certificate's quantity.
 */
import { roundQuantity } from "../units";

export const MARKET_DECISIONS = ["accept", "hold", "reject"] as const;
export type MarketDecision = (typeof MARKET_DECISIONS)[number];

/** What the goods were let in on: a certificate, a passing market rapid test (快检) for goods without one, or nothing. */
export const RECEIPT_PROOFS = ["certificate", "rapid_test", "none"] as const;
export type ReceiptProof = (typeof RECEIPT_PROOFS)[number];

export const MARKET_FLAG_KINDS = ["quantity_exceeded"] as const;
export type MarketFlagKind = (typeof MARKET_FLAG_KINDS)[number];

/**
 * Accepted and held goods count against the certificate: both are inside the market (held goods wait for a test or a
 * document, and are the same crates if later released). Rejected goods were turned away at the gate and may honestly
 * be presented elsewhere, so they take nothing. The trigger in migration receipts_within_quantity mirrors this list.
 */
export function countsAgainstCertificate(decision: MarketDecision): boolean {
  return decision !== "reject";
}

export function proofOf(input: { certificateId: string | null; rapidTestId: string | null }): ReceiptProof {
  if (input.certificateId !== null) return "certificate";
  if (input.rapidTestId !== null) return "rapid_test";
  return "none";
}

/**
 * The key of a seller's file at one market: a credit code names an organisation for good, an ID number a person; a
 * seller with neither is known by name and phone, which is what a paper ledger would have.
 */
export function sellerIdentity(seller: { name: string; creditCode?: string | undefined; idNumber?: string | undefined; phone?: string | undefined }): string {
  if (seller.creditCode !== undefined) return `uscc:${seller.creditCode}`;
  if (seller.idNumber !== undefined) return `id:${seller.idNumber.toUpperCase()}`;
  return `name:${seller.name}|${seller.phone ?? ""}`;
}

/** What is left of a certificate once `received` has come in, never negative. */
export function remainingOf(quantity: number, received: number): number {
  return Math.max(0, roundQuantity(quantity - received));
}

/**
 * What a certificate's page says once a market was offered more goods under it than it had left: the consumer at a
 * stall should know the goods in hand may not be the certified ones. Named from the latest refused receipt; `times`
 * counts the refusals (every one raised a flag).
 */
export function quantityExceededWarning(latest: { requested: number; remaining: number; unit: string }, times: number): { messageZh: string; message: string } {
  // A no-break space keeps "50 kg" on one line of a narrow screen.
  const requested = `${roundQuantity(latest.requested)}\u00a0${latest.unit}`;
  const remaining = `${roundQuantity(latest.remaining)}\u00a0${latest.unit}`;
  return {
    messageZh: `市场进场查验时，凭本证进场的货物多于本证剩余数量（剩余 ${remaining}，来货 ${requested}${times > 1 ? `，共 ${times} 次` : ""}），本证可能被复制或重复使用`,
    message: `a market was offered more goods under it than it had left (${requested} with ${remaining} left${times > 1 ? `, ${times} times` : ""}): the certificate may have been copied or reused`,
  };
}
