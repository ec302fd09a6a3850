/**
 * What the producer's console shows: the party's products, its recent lots with what is left to certify, its recent
 * certificates, and the tests a chosen lot could be certified on.
 */
import { desc, eq, sql } from "drizzle-orm";
import { requireParty, type Principal } from "../auth/principal";
import { certificates, lots, products } from "../db/schema";
import type { AppDeps } from "../deps";
import { chinaDate } from "../domain/ids";
import { roundQuantity } from "../domain/units";
import { testsOfLot } from "./lab-tests";

const RECENT_LOTS = 30;
const RECENT_CERTIFICATES = 20;

export interface ConsoleLot {
  id: string;
  code: string;
  productName: string;
  quantity: number;
  unit: string;
  remaining: number;
  harvestedOn: string;
}

export interface ConsoleCertificate {
  id: string;
  code: string;
  productName: string;
  quantity: number;
  unit: string;
  copies: number;
  status: string;
  issueDate: string;
}

export interface ConsoleTest {
  id: string;
  kind: string;
  testedOn: string;
  verdict: string;
  lab: string | null;
}

export interface ConsoleData {
  products: { id: string; name: string; unit: string }[];
  lots: ConsoleLot[];
  certificates: ConsoleCertificate[];
  /** Tests of the selected lot that may back a basis (own and lab tests). */
  tests: ConsoleTest[];
  today: string;
}

export async function consoleData(deps: AppDeps, principal: Principal | null, selectedLotId: string | undefined): Promise<ConsoleData> {
  const p = requireParty(principal, ["producer"]);
  const [productRows, lotRows, certRows] = await Promise.all([
    deps.db.select({ id: products.id, name: products.name, unit: products.unit }).from(products).where(eq(products.partyId, p.partyId)).orderBy(desc(products.id)).limit(200),
    deps.db
      .select({ lot: lots, productName: products.name })
      .from(lots)
      .innerJoin(products, eq(products.id, lots.productId))
      .where(eq(lots.partyId, p.partyId))
      .orderBy(desc(lots.id))
      .limit(RECENT_LOTS),
    deps.db
      .select({
        id: certificates.id,
        code: certificates.code,
        productName: sql<string>`${certificates.content}->'product'->>'name'`,
        quantity: certificates.quantity,
        unit: certificates.unit,
        copies: certificates.copies,
        status: certificates.status,
        issueDate: sql<string>`${certificates.content}->>'issueDate'`,
      })
      .from(certificates)
      .where(eq(certificates.partyId, p.partyId))
      .orderBy(desc(certificates.id))
      .limit(RECENT_CERTIFICATES),
  ]);
  const lotsView = lotRows.map(({ lot, productName }) => ({
    id: lot.id,
    code: lot.code,
    productName,
    quantity: lot.quantity,
    unit: lot.unit,
    remaining: roundQuantity(lot.quantity - lot.certifiedQuantity),
    harvestedOn: lot.harvestedOn,
  }));
  const selected = lotRows.find((r) => r.lot.id === selectedLotId)?.lot;
  const tests =
    selected === undefined
      ? []
      : (await testsOfLot(deps, selected.id))
          .filter((t) => t.kind === "self_test" || t.kind === "entrusted_test")
          .map((t) => ({ id: t.id, kind: t.kind, testedOn: chinaDate(t.testedAt), verdict: t.verdict, lab: t.lab }));
  return { products: productRows, lots: lotsView, certificates: certRows, tests, today: chinaDate(deps.clock()) };
}

