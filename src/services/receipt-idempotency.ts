import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import { requireParty } from "../auth/principal";
import { pgError, UNIQUE_VIOLATION } from "../db/errors";
import { marketReceiptKeys, marketReceipts } from "../db/schema";
import type { AppDeps } from "../deps";
import { ApiError } from "../http/problem";
import { type NewReceipt, type ReceiptRow, recordReceipt } from "./market-gate";

/** Same fields, same hash, whatever order the client wrote them in. */
function requestHash(input: NewReceipt): string {
  const sorted = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(JSON.stringify(sorted)).digest("base64url");
}

async function stored(deps: AppDeps, marketId: string, key: string, hash: string): Promise<ReceiptRow | null> {
  const [found] = await deps.db
    .select({ receipt: marketReceipts, requestHash: marketReceiptKeys.requestHash })
    .from(marketReceiptKeys)
    .innerJoin(marketReceipts, eq(marketReceipts.id, marketReceiptKeys.receiptId))
    .where(and(eq(marketReceiptKeys.marketId, marketId), eq(marketReceiptKeys.idempotencyKey, key)));
  if (found === undefined) return null;
  if (found.requestHash !== hash) {
    throw new ApiError(422, "idempotency-key-reused", "Idempotency-Key already used for another receipt", `the key ${key} recorded receipt ${found.receipt.id} with different fields`, {
      errors: [{ path: "header.idempotency-key", message: "was already used for a receipt with different fields" }],
      receiptId: found.receipt.id,
    });
  }
  return found.receipt;
}

/**
 * Records a receipt at most once per Idempotency-Key: the gate page's offline queue resends until it hears back, so
 * a receipt whose answer was lost on the way must not be recorded twice. The key is claimed in the receipt's own
 * transaction, so of two racing sends one stores the receipt and the other waits for it and answers with it.
 */
export async function recordReceiptOnce(
  deps: AppDeps,
  principal: Principal | null,
  input: NewReceipt,
  key: string | undefined,
): Promise<{ row: ReceiptRow; replayed: boolean }> {
  if (key === undefined) return { row: await recordReceipt(deps, principal, input), replayed: false };
  const p = requireParty(principal, ["market"]);
  const hash = requestHash(input);
  const earlier = await stored(deps, p.partyId, key, hash);
  if (earlier !== null) return { row: earlier, replayed: true };
  try {
    const row = await recordReceipt(deps, principal, input, async (tx, receipt) => {
      await tx.insert(marketReceiptKeys).values({ marketId: p.partyId, idempotencyKey: key, receiptId: receipt.id, requestHash: hash, createdAt: deps.clock() });
    });
    return { row, replayed: false };
  } catch (err) {
    const e = pgError(err);
    if (e?.code !== UNIQUE_VIOLATION || e.constraint !== "market_receipt_keys_pkey") throw err;
    const winner = await stored(deps, p.partyId, key, hash);
    if (winner === null) throw err;
    return { row: winner, replayed: true };
  }
}
