/**
 * What the producer's console shows: the party's products, its recent lots with what is left to certify, its recent
 * certificates, the tests a chosen lot could be certified on, and its input records (肥药两制) with the catalogue
 * of inputs they are picked from.
 */
import { desc, eq, inArray, sql } from "drizzle-orm";
import { requireParty, type Principal } from "../auth/principal";
import { certificates, lots, products, sites } from "../db/schema";
import type { AppDeps } from "../deps";
import { chinaDate } from "../domain/ids";
import type { InputProduct } from "../domain/production/reference";
import { matchProducts } from "../domain/production/reference-lookup";
import type { ApplicationData } from "../domain/production/stored-records";
import { roundQuantity } from "../domain/units";
import { testsOfLot } from "./lab-tests";
import { getRecord, recentRecords, type ProductionRecordRow } from "./production-records";
import { currentReference } from "./reference-data";

const RECENT_LOTS = 30;
const RECENT_CERTIFICATES = 20;
const RECENT_APPLICATIONS = 10;
const MAX_SITES = 200;

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

/** A catalogue product as the farmer picks it: name, formulation and 登记证号 when the catalogue has one. */
export interface ConsoleInput {
  id: string;
  kind: InputProduct["kind"];
  label: string;
}

export interface ConsoleApplication {
  id: string;
  appliedOn: string;
  input: string;
  dose: string | null;
  method: string | null;
  /** The lot or plot the record is on, as the farmer knows it. */
  place: string;
  operator: string | null;
  /** The record as it stands is a correction of an earlier version. */
  corrected: boolean;
  correctionReason: string | null;
  retracted: boolean;
}

export interface ConsoleData {
  products: { id: string; name: string; unit: string }[];
  sites: { id: string; name: string }[];
  lots: ConsoleLot[];
  certificates: ConsoleCertificate[];
  /** Tests of the selected lot that may back a basis (own and lab tests). */
  tests: ConsoleTest[];
  inputs: ConsoleInput[];
  applications: ConsoleApplication[];
  today: string;
}

export function inputLabel(input: { name: string; formulation: string | null; registrationNo: string | null }): string {
  const formulation = input.formulation !== null && !input.name.includes(input.formulation) ? ` ${input.formulation}` : "";
  const registration = input.registrationNo === null ? "" : ` · ${input.registrationNo}`;
  return `${input.name}${formulation}${registration}`;
}

export async function consoleData(deps: AppDeps, principal: Principal | null, selectedLotId: string | undefined): Promise<ConsoleData> {
  const p = requireParty(principal, ["producer"]);
  const [productRows, siteRows, lotRows, certRows, reference, applicationRows] = await Promise.all([
    deps.db.select({ id: products.id, name: products.name, unit: products.unit }).from(products).where(eq(products.partyId, p.partyId)).orderBy(desc(products.id)).limit(200),
    deps.db.select({ id: sites.id, name: sites.name }).from(sites).where(eq(sites.partyId, p.partyId)).orderBy(desc(sites.id)).limit(MAX_SITES),
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
    currentReference(deps),
    recentRecords(deps, p, "application", RECENT_APPLICATIONS),
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
  const inputs = reference.products.map((product) => ({ id: product.id, kind: product.kind, label: inputLabel(product) }));
  const applications = await applicationsView(deps, applicationRows, siteRows);
  return { products: productRows, sites: siteRows, lots: lotsView, certificates: certRows, tests, inputs, applications, today: chinaDate(deps.clock()) };
}

async function applicationsView(deps: AppDeps, rows: readonly ProductionRecordRow[], siteRows: readonly { id: string; name: string }[]): Promise<ConsoleApplication[]> {
  const lotIds = [...new Set(rows.flatMap((r) => (r.lotId === null ? [] : [r.lotId])))];
  const lotRows =
    lotIds.length === 0
      ? []
      : await deps.db.select({ id: lots.id, code: lots.code, productName: products.name }).from(lots).innerJoin(products, eq(products.id, lots.productId)).where(inArray(lots.id, lotIds));
  const lotNames = new Map(lotRows.map((l) => [l.id, `批次 ${l.code}（${l.productName}）`]));
  const siteNames = new Map(siteRows.map((s) => [s.id, `地块 ${s.name}`]));
  return rows.map((row) => {
    const d = row.data as ApplicationData;
    return {
      id: row.id,
      appliedOn: d.appliedOn,
      input: inputLabel({ name: d.inputName, formulation: d.formulation, registrationNo: d.registrationNo }),
      dose: d.dose,
      method: d.method,
      place: (row.lotId === null ? undefined : lotNames.get(row.lotId)) ?? (row.siteId === null ? undefined : siteNames.get(row.siteId)) ?? "",
      operator: d.operator,
      corrected: row.corrects !== null,
      correctionReason: row.correctionReason,
      retracted: row.retracted,
    };
  });
}

/** The catalogue product a console form names, from the reference set governing today; undefined when it has none. */
export async function catalogueInput(deps: Pick<AppDeps, "db" | "clock">, id: string): Promise<InputProduct | undefined> {
  return (await currentReference(deps)).products.find((product) => product.id === id);
}

/** What an application record says about its input when the farmer picked it from the catalogue. */
export function inputOfProduct(product: InputProduct): Pick<ApplicationData, "inputType" | "inputName" | "registrationNo" | "formulation" | "activeIngredients"> {
  return {
    inputType: product.kind,
    inputName: product.name,
    registrationNo: product.registrationNo,
    formulation: product.formulation,
    activeIngredients: product.activeIngredients.map((i) => i.name),
  };
}

export interface ApplicationToCorrect {
  /** The version as it stands now: the one a correction must point at. */
  id: string;
  data: ApplicationData;
  /** The catalogue product the record names, when exactly one matches; otherwise the form keeps the recorded input. */
  inputId: string | null;
}

/** The application a 更正 link names (any of its versions), as it stands. */
export async function applicationToCorrect(deps: AppDeps, principal: Principal | null, id: string): Promise<ApplicationToCorrect> {
  const { current } = await getRecord(deps, principal, "application", id);
  const data = current.data as ApplicationData;
  const matches = matchProducts(await currentReference(deps), {
    registrationNo: data.registrationNo,
    name: data.inputName,
    formulation: data.formulation,
    activeIngredients: data.activeIngredients,
  });
  return { id: current.id, data, inputId: matches.length === 1 ? matches[0]!.id : null };
}

