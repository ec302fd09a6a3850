import { and, asc, eq, gt, inArray, like, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Principal, type Role, requireRole } from "../auth/principal";
import { lots, lotTests, parties, products, testAttachments, certificates } from "../db/schema";
import type DataLoader from "dataloader";
import { anyOfPlaceholder, batchLoader, loaderFor, textArray } from "../db/batch";
import type { Database } from "../db/client";
import type { AppDeps } from "../deps";
import { uuidv7 } from "../domain/ids";
import { ingredientClass, residueLimitFor } from "../domain/production/reference-lookup";
import type { TestResultInput, TestSample } from "../domain/production/stored-records";
import type { LotTest, TestKind, TestMethod } from "../domain/production/test-record";
import { judgeTest, lotTestStatus, type AnalyteVerdict } from "../domain/production/test-verdicts";
import { regionCovers, regionPrefix } from "../domain/region";
import { problems } from "../http/problem";
import { toPage } from "../http/pagination";
import { openCaseForFailedTest } from "./cases";
import { currentReference } from "./reference-data";
import { acceptedFile, type UploadedFile } from "./uploaded-files";

export type LotTestRow = typeof lotTests.$inferSelect;
export type AttachmentRow = typeof testAttachments.$inferSelect;

/**
 * Who records which kind of test: producers their own 自行检测 and the 委托检测 reports they receive, labs the
 * tests they run for producers or for regulators, markets their gate 快检, regulators 监督抽检. Everyone but the
 * producer works on lots of other parties, addressed by the lot id printed in the certificate.
 */
export const KINDS_BY_ROLE: Record<Role, readonly TestKind[]> = {
  admin: ["self_test", "entrusted_test", "market_rapid", "official_sampling"],
  producer: ["self_test", "entrusted_test"],
  lab: ["entrusted_test", "official_sampling"],
  market: ["market_rapid"],
  regulator: ["official_sampling"],
  buyer: [],
};

export interface NewTest {
  lotId: string;
  kind: TestKind;
  method: TestMethod;
  results: TestResultInput[];
  sample?: TestSample | undefined;
  operator?: string | undefined;
  testedAt?: string | undefined;
  lab?: string | undefined;
  reportNo?: string | undefined;
  retestOf?: string | undefined;
}

type FieldErrors = { path: string; message: string }[];

/** μg/kg readings are kept as entered and converted for judging, so a report typed as printed is judged correctly. */
function toMgPerKg(value: number | null, unit: string | null): number | null {
  if (value === null) return null;
  return unit === "μg/kg" ? value / 1000 : value;
}

/**
 * The rule engine's view of a test. A lab reading's limit is frozen at recording as the stricter of the report's
 * and the reference MRL in force, so the verdict never shifts when the reference data is edited later.
 */
function ruleRecord(id: string, input: NewTest & { testedAt: string }, lab: string | null, mrl: (analyte: string) => number | null): LotTest {
  const header = { id, kind: input.kind, testedAt: input.testedAt, lab, reportNo: input.reportNo ?? null, retestOf: input.retestOf ?? null };
  switch (input.method) {
    case "enzyme_inhibition":
      return { ...header, method: "enzyme_inhibition", inhibitionRatePercent: input.results[0]?.value ?? Number.NaN };
    case "colloidal_gold":
      return { ...header, method: "colloidal_gold", readings: input.results.map((r) => ({ analyte: r.analyte, readerResult: r.reading ?? "positive" })) };
    case "lab":
      return {
        ...header,
        method: "lab",
        readings: input.results.map((r) => {
          const limits = [toMgPerKg(r.threshold, r.unit), mrl(r.analyte)].filter((l): l is number => l !== null);
          return { analyte: r.analyte, valueMgPerKg: toMgPerKg(r.value, r.unit), limitMgPerKg: limits.length === 0 ? null : Math.min(...limits) };
        }),
      };
  }
}

function checkShape(input: NewTest): FieldErrors {
  const errors: FieldErrors = [];
  if (input.method === "enzyme_inhibition" && input.results.length !== 1) {
    errors.push({ path: "results", message: "enzyme inhibition gives one inhibition rate (%) per sample" });
  }
  input.results.forEach((r, i) => {
    if (input.method === "colloidal_gold" && r.reading === null) errors.push({ path: `results.${i}.reading`, message: "a colloidal-gold reading is positive or negative" });
    if (input.method === "enzyme_inhibition" && (r.value === null || r.value < 0 || r.value > 100)) {
      errors.push({ path: `results.${i}.value`, message: "the inhibition rate is a percentage from 0 to 100" });
    }
  });
  return errors;
}

export async function recordTest(deps: AppDeps, principal: Principal | null, input: NewTest): Promise<LotTestRow> {
  const p = requireRole(principal, ["admin", "producer", "lab", "market", "regulator", "buyer"]);
  if (!KINDS_BY_ROLE[p.role].includes(input.kind)) {
    throw problems.forbidden(`a ${p.role} key may record ${KINDS_BY_ROLE[p.role].join(", ") || "no tests"}, not ${input.kind}`);
  }
  const [found] = await deps.db
    .select({ lot: lots, crop: products.name })
    .from(lots)
    .innerJoin(products, eq(products.id, lots.productId))
    .where(eq(lots.id, input.lotId));
  // A producer's tests are on its own lots; another producer's lot id is answered as unknown.
  if (found === undefined || (p.role === "producer" && found.lot.partyId !== p.partyId)) throw problems.notFound(`lot ${input.lotId}`);

  const now = deps.clock();
  const testedAt = input.testedAt ?? now.toISOString();
  const errors = checkShape(input);
  if (Date.parse(testedAt) > now.getTime()) errors.push({ path: "testedAt", message: `is in the future (now is ${now.toISOString()})` });
  let lab = input.lab ?? null;
  if (lab === null && p.role === "lab" && p.partyId !== null) {
    const [me] = await deps.db.select({ name: parties.name }).from(parties).where(eq(parties.id, p.partyId));
    lab = me?.name ?? null;
  }
  if (input.kind === "entrusted_test") {
    if (lab === null) errors.push({ path: "lab", message: "an entrusted (委托) test names the lab" });
    if (input.reportNo === undefined) errors.push({ path: "reportNo", message: "an entrusted (委托) test gives the lab's report number" });
  }
  if (input.retestOf !== undefined) {
    const [original] = await deps.db
      .select({ verdict: lotTests.verdict, testedAt: lotTests.testedAt })
      .from(lotTests)
      .where(and(eq(lotTests.id, input.retestOf), eq(lotTests.lotId, input.lotId)));
    if (original === undefined) errors.push({ path: "retestOf", message: "is not a test of this lot" });
    else if (original.verdict !== "fail") errors.push({ path: "retestOf", message: "names a test that did not fail; only a positive result is re-tested" });
    else if (original.testedAt.getTime() >= Date.parse(testedAt)) errors.push({ path: "testedAt", message: "a re-test comes after the test it re-tests" });
  }
  if (errors.length > 0) throw problems.validation(errors);

  const reference = await currentReference(deps);
  const id = uuidv7(now, deps.randomBytes);
  const record = ruleRecord(id, { ...input, testedAt }, lab, residueLimitFor(reference, found.crop));
  const verdict = judgeTest(record);
  const row: LotTestRow = {
    id,
    lotId: input.lotId,
    lotPartyId: found.lot.partyId,
    recordedBy: p.partyId,
    recordedByKey: p.keyId,
    kind: input.kind,
    method: input.method,
    testedAt: new Date(testedAt),
    lab,
    reportNo: input.reportNo ?? null,
    retestOf: input.retestOf ?? null,
    operator: input.operator ?? null,
    sample: input.sample ?? null,
    results: input.results,
    record,
    verdict: verdict.outcome,
    analyteVerdicts: verdict.analytes,
    createdAt: now,
  };
  // A failing test opens its 不合格处置 case in the same transaction, so no failure can be stored without one.
  await deps.db.transaction(async (tx) => {
    await tx.insert(lotTests).values(row);
    if (row.verdict === "fail") await openCaseForFailedTest({ ...deps, db: tx }, row.id);
  });
  // A verdict can turn the lot's certificates red (or clear them): no cache may go on showing the old status.
  if (deps.onCertificateChanged !== undefined) {
    const affected = await deps.db.select({ code: certificates.code }).from(certificates).where(eq(certificates.lotId, row.lotId));
    for (const { code } of affected) await deps.onCertificateChanged(code);
  }
  return row;
}

/** The owner of the lot, the party that recorded the test, regulators over either, and admins. */
function canSee(p: Principal, row: { lotPartyId: string; recordedBy: string | null }, regions: { owner: string; recorder: string | null }): boolean {
  if (p.role === "admin" || p.partyId === row.lotPartyId || (p.partyId !== null && p.partyId === row.recordedBy)) return true;
  if (p.role !== "regulator" || p.regionCode === null) return false;
  return regionCovers(p.regionCode, regions.owner) || (regions.recorder !== null && regionCovers(p.regionCode, regions.recorder));
}

const owner = alias(parties, "owner");
const recorder = alias(parties, "recorder");

export async function getTest(deps: AppDeps, principal: Principal | null, id: string): Promise<LotTestRow> {
  const p = requireRole(principal, ["admin", "producer", "lab", "market", "regulator", "buyer"]);
  const [found] = await deps.db
    .select({ row: lotTests, ownerRegion: owner.regionCode, recorderRegion: recorder.regionCode })
    .from(lotTests)
    .innerJoin(owner, eq(owner.id, lotTests.lotPartyId))
    .leftJoin(recorder, eq(recorder.id, lotTests.recordedBy))
    .where(eq(lotTests.id, id));
  if (found === undefined || !canSee(p, found.row, { owner: found.ownerRegion, recorder: found.recorderRegion })) throw problems.notFound(`test ${id}`);
  return found.row;
}

export async function listTests(
  deps: AppDeps,
  principal: Principal | null,
  q: { limit: number; cursor?: string | undefined; lotId?: string | undefined },
) {
  const p = requireRole(principal, ["admin", "producer", "lab", "market", "regulator", "buyer"]);
  const where: SQL[] = [];
  if (q.lotId !== undefined) where.push(eq(lotTests.lotId, q.lotId));
  if (q.cursor !== undefined) where.push(gt(lotTests.id, q.cursor));
  if (p.role === "regulator") {
    const prefix = `${regionPrefix(p.regionCode ?? "")}%`;
    where.push(or(like(owner.regionCode, prefix), like(recorder.regionCode, prefix))!);
  } else if (p.role !== "admin") {
    where.push(or(eq(lotTests.lotPartyId, p.partyId ?? ""), eq(lotTests.recordedBy, p.partyId ?? ""))!);
  }
  const rows = await deps.db
    .select({ row: lotTests })
    .from(lotTests)
    .innerJoin(owner, eq(owner.id, lotTests.lotPartyId))
    .leftJoin(recorder, eq(recorder.id, lotTests.recordedBy))
    .where(and(...where))
    .orderBy(asc(lotTests.id))
    .limit(q.limit + 1);
  return toPage(rows.map((r) => r.row), q.limit);
}

export async function attachmentsOf(deps: AppDeps, testIds: string[]) {
  if (testIds.length === 0) return [];
  return deps.db
    .select({ id: testAttachments.id, testId: testAttachments.testId, contentType: testAttachments.contentType, filename: testAttachments.filename, size: testAttachments.size, sha256: testAttachments.sha256, createdAt: testAttachments.createdAt })
    .from(testAttachments)
    .where(inArray(testAttachments.testId, testIds))
    .orderBy(asc(testAttachments.id));
}

export async function addAttachment(
  deps: AppDeps,
  principal: Principal | null,
  testId: string,
  file: UploadedFile,
): Promise<Omit<AttachmentRow, "bytes">> {
  const test = await getTest(deps, principal, testId);
  const p = principal!;
  // Regulators read tests in their region; only who recorded the test, or the lot's owner, adds its evidence.
  if (p.role !== "admin" && p.partyId !== test.recordedBy && p.partyId !== test.lotPartyId) {
    throw problems.forbidden("files are attached by the party that recorded the test or the owner of the lot");
  }
  const row: AttachmentRow = { ...acceptedFile(deps, p.keyId, file), testId };
  await deps.db.insert(testAttachments).values(row);
  const { bytes: _bytes, ...meta } = row;
  return meta;
}

export async function getAttachment(deps: AppDeps, principal: Principal | null, testId: string, attachmentId: string): Promise<AttachmentRow> {
  await getTest(deps, principal, testId);
  const [row] = await deps.db.select().from(testAttachments).where(and(eq(testAttachments.id, attachmentId), eq(testAttachments.testId, testId)));
  if (row === undefined) throw problems.notFound(`attachment ${attachmentId}`);
  return row;
}

export interface LotFailure {
  lotId: string;
  failures: {
    testId: string;
    kind: TestKind;
    method: TestMethod;
    testedAt: string;
    lab: string | null;
    reportNo: string | null;
    /** The analytes that failed, with the computed verdict's wording. */
    found: AnalyteVerdict[];
  }[];
}

/**
 * Lots among `lotIds` standing failed: a failing test not cleared by a later passing lab re-test. Derived lots will
 * inherit their sources' failures here once genealogy exists. Only lots with a failing test are read in full, so
 * the common answer (none failed) costs one indexed probe.
 */
export async function failedLotIds(deps: AppDeps, lotIds: readonly string[]): Promise<Map<string, LotFailure>> {
  const result = new Map<string, LotFailure>();
  if (lotIds.length === 0) return result;
  const failing = alias(lotTests, "failing");
  const rows = await deps.db
    .select()
    .from(lotTests)
    .where(
      and(
        inArray(lotTests.lotId, [...lotIds]),
        sql`EXISTS (SELECT 1 FROM ${lotTests} AS ${sql.identifier("failing")} WHERE ${failing.lotId} = ${lotTests.lotId} AND ${failing.verdict} = 'fail')`,
      ),
    )
    .orderBy(asc(lotTests.testedAt), asc(lotTests.id));
  return lotFailuresOf(deps, rows);
}

/** The test fields that decide whether a lot stands failed. */
export type TestForStanding = Pick<LotTestRow, "id" | "lotId" | "kind" | "method" | "testedAt" | "lab" | "reportNo" | "record" | "analyteVerdicts">;

/** Which lots stand failed, from all tests of lots that have a failing one (in test order); lots not failed are absent. */
export async function lotFailuresOf(deps: AppDeps, rows: readonly TestForStanding[]): Promise<Map<string, LotFailure>> {
  const result = new Map<string, LotFailure>();
  if (rows.length === 0) return result;
  const reference = await currentReference(deps);
  const classOf = (name: string) => ingredientClass(reference, name);
  const byLot = new Map<string, TestForStanding[]>();
  for (const row of rows) byLot.set(row.lotId, [...(byLot.get(row.lotId) ?? []), row]);
  for (const [lotId, tests] of byLot) {
    const history = lotTestStatus(
      tests.map((t) => t.record),
      { classOf },
    );
    if (history.status !== "failed") continue;
    result.set(lotId, {
      lotId,
      failures: tests
        .filter((t) => history.openFailures.includes(t.id))
        .map((t) => ({
          testId: t.id,
          kind: t.kind,
          method: t.method,
          testedAt: t.testedAt.toISOString(),
          lab: t.lab,
          reportNo: t.reportNo,
          found: t.analyteVerdicts.filter((a) => a.outcome === "fail"),
        })),
    });
  }
  return result;
}

const testLoaders = new WeakMap<Database, DataLoader<string, LotTestRow[]>>();

function loadTestsOfLots(db: Database) {
  const statement = db
    .select()
    .from(lotTests)
    .where(anyOfPlaceholder(lotTests.lotId, "lotIds"))
    .orderBy(asc(lotTests.testedAt), asc(lotTests.id))
    .prepare("tests_of_lots");
  return batchLoader<string, LotTestRow[]>(async (lotIds) => {
    const rows = await statement.execute({ lotIds: textArray(new Set(lotIds)) });
    const byLot = new Map<string, LotTestRow[]>();
    for (const row of rows) {
      const list = byLot.get(row.lotId);
      if (list === undefined) byLot.set(row.lotId, [row]);
      else list.push(row);
    }
    // Each caller gets its own array, so one request's sorting or filtering cannot reach another's.
    return lotIds.map((id) => [...(byLot.get(id) ?? [])]);
  });
}

/**
 * Every test recorded on a lot, oldest first, as the basis rules read them. Requests issuing in the same turn of
 * the event loop share one query.
 */
export function testsOfLot(deps: Pick<AppDeps, "db">, lotId: string): Promise<LotTestRow[]> {
  return loaderFor(testLoaders, deps.db, loadTestsOfLots).load(lotId);
}

/**
 * Failed lots a regulator oversees (by the lot owner's region), one page over lot ids. Pages may hold fewer than
 * `limit` lots, since lots whose failures were cleared are skipped after reading.
 */
export async function listFailures(deps: AppDeps, principal: Principal | null, q: { limit: number; cursor?: string | undefined }) {
  const p = requireRole(principal, ["admin", "regulator"]);
  const where: SQL[] = [eq(lotTests.verdict, "fail")];
  if (q.cursor !== undefined) where.push(gt(lotTests.lotId, q.cursor));
  if (p.role === "regulator") where.push(like(parties.regionCode, `${regionPrefix(p.regionCode ?? "")}%`));
  const candidates = await deps.db
    .selectDistinct({ lotId: lotTests.lotId })
    .from(lotTests)
    .innerJoin(parties, eq(parties.id, lotTests.lotPartyId))
    .where(and(...where))
    .orderBy(asc(lotTests.lotId))
    .limit(q.limit + 1);
  const page = candidates.slice(0, q.limit).map((c) => c.lotId);
  const failed = await failedLotIds(deps, page);
  const details =
    failed.size === 0
      ? []
      : await deps.db
          .select({ lot: lots, party: { id: parties.id, name: parties.name, regionCode: parties.regionCode, phone: parties.phone }, product: products.name })
          .from(lots)
          .innerJoin(parties, eq(parties.id, lots.partyId))
          .innerJoin(products, eq(products.id, lots.productId))
          .where(inArray(lots.id, [...failed.keys()]))
          .orderBy(asc(lots.id));
  return {
    items: details.map((d) => ({
      lot: { id: d.lot.id, code: d.lot.code, product: d.product, harvestedAt: d.lot.harvestedOn, quantity: d.lot.quantity, unit: d.lot.unit },
      party: d.party,
      failures: failed.get(d.lot.id)!.failures,
    })),
    nextCursor: candidates.length > q.limit ? (page.at(-1) ?? null) : null,
  };
}

export function testView(deps: AppDeps, row: LotTestRow, attachments: Awaited<ReturnType<typeof attachmentsOf>>) {
  return {
    id: row.id,
    lotId: row.lotId,
    kind: row.kind,
    method: row.method,
    testedAt: row.testedAt.toISOString(),
    lab: row.lab,
    reportNo: row.reportNo,
    retestOf: row.retestOf,
    operator: row.operator,
    sample: row.sample,
    results: row.results,
    verdict: row.verdict,
    analytes: row.analyteVerdicts,
    recordedBy: row.recordedBy,
    createdAt: row.createdAt.toISOString(),
    attachments: attachments
      .filter((a) => a.testId === row.id)
      .map((a) => ({ ...a, createdAt: a.createdAt.toISOString(), url: `${deps.publicUrl}/v1/tests/${row.id}/attachments/${a.id}` })),
  };
}
