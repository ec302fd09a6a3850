import { sql } from "drizzle-orm";
import { requireParty, type Principal } from "../auth/principal";
import type { AppDeps } from "../deps";
import type { StatusPurpose } from "../domain/status-list";
import { rowsOf } from "../db/rows";
import { allStatusLists } from "./status-lists";

/** How far back the gate looks for certificates it may meet: shipments on their way, regular sellers' new ones. */
const WINDOW_DAYS = 30;
/** At ~3 KB a token, this keeps the device's copy within a few megabytes. */
const MAX_CREDENTIALS = 2000;

export interface OfflineCredential {
  code: string;
  jwt: string;
  /** Received at any market when the bundle was made, in the certificate's unit: the floor for what is left. */
  received: number;
  /** Why this market got it: a shipment addressed to it, a seller it knows, or goods it already took in part of. */
  why: "shipment" | "seller" | "received";
}

export interface OfflineBundle {
  generatedAt: string;
  statusLists: { purpose: StatusPurpose; list: number; jwt: string }[];
  credentials: OfflineCredential[];
}

/**
 * What a market's gate device keeps to verify labels with no network. The QR code carries only the certificate's
 * URL, so the device must already hold the signed tokens it may be shown. A market learns what is coming from three
 * facts the platform has: shipments addressed to it (custody), sellers in its seller file (供货者档案, by credit
 * code) and the certificates of goods it has already taken in part of (a certificate covers several trucks). Their
 * certificates of the last 30 days, newest first, are sent with the status lists that check them (the keys come from
 * the public JWKS); everything in the bundle is signed, so the device never has to trust the bundle itself.
 */
export async function offlineBundle(deps: AppDeps, principal: Principal | null): Promise<OfflineBundle> {
  const p = requireParty(principal, ["market"]);
  // As text: raw SQL parameters are not mapped by column type, and the two drivers differ on Date.
  const since = new Date(deps.clock().getTime() - WINDOW_DAYS * 86_400_000).toISOString();
  const rows = rowsOf<{ code: string; jwt: string; received: string | number | null; why: OfflineCredential["why"] }>(
    await deps.db.execute(sql`
      WITH picked AS (
        SELECT c.id, 'shipment' AS why, 0 AS rank FROM shipments s JOIN certificates c ON c.lot_id = s.lot_id
        WHERE s.to_party_id = ${p.partyId} AND s.shipped_at >= ${since}::timestamptz
        UNION ALL
        SELECT c.id, 'received', 1 FROM market_receipts r JOIN certificates c ON c.id = r.certificate_id
        WHERE r.market_id = ${p.partyId} AND r.received_at >= ${since}::timestamptz
        UNION ALL
        SELECT c.id, 'seller', 2 FROM market_sellers m JOIN parties pa ON pa.credit_code = m.credit_code JOIN certificates c ON c.party_id = pa.id
        WHERE m.market_id = ${p.partyId} AND c.issued_at >= ${since}::timestamptz
        UNION ALL
        SELECT c.id, 'seller', 2 FROM market_receipts r JOIN certificates prior ON prior.id = r.certificate_id JOIN certificates c ON c.party_id = prior.party_id
        WHERE r.market_id = ${p.partyId} AND c.issued_at >= ${since}::timestamptz
      ), best AS (SELECT DISTINCT ON (id) id, why FROM picked ORDER BY id, rank)
      SELECT c.code, c.jwt, cr.received_quantity AS received, b.why
      FROM best b JOIN certificates c ON c.id = b.id LEFT JOIN certificate_receipts cr ON cr.certificate_id = c.id
      ORDER BY c.issued_at DESC, c.id
      LIMIT ${MAX_CREDENTIALS}`),
  );
  return {
    generatedAt: deps.clock().toISOString(),
    statusLists: await allStatusLists(deps),
    credentials: rows.map((r) => ({ code: r.code, jwt: r.jwt, received: Number(r.received ?? 0), why: r.why })),
  };
}
