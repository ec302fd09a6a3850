import { and, asc, eq, gt, isNotNull, isNull, like, lt, type SQL, sql } from "drizzle-orm";
import { type Principal, requireRole } from "../auth/principal";
import type { AppDeps } from "../deps";
import { caseSteps, cases, lotTests, parties } from "../db/schema";
import { pgError, UNIQUE_VIOLATION } from "../db/errors";
import {
  addDays,
  advance,
  allowedSteps,
  type CaseStage,
  type CaseStep,
  deadlineInstant,
  DEFAULT_DAYS_TO_NEXT_STEP,
  STEP_NAMES_ZH,
} from "../domain/cases";
import { chinaDate, uuidv7 } from "../domain/ids";
import { regionCovers, regionPrefix } from "../domain/region";
import { problems } from "../http/problem";
import { rowsOf } from "../db/rows";

/**
 * 不合格处置 cases: opened from a failed test (automatically through `openCaseForFailedTest`, or by hand) or from a
 * gate's flag, then moved step by step. The stage is stored on the case and advanced with a compare-and-set in the
 * same transaction as the step, so two officers cannot both take the next step.
 */

export type CaseRow = typeof cases.$inferSelect;
export type CaseStepRow = typeof caseSteps.$inferSelect;

const OFFICERS = ["regulator", "admin"] as const;

function dueAfter(stage: CaseStage, from: string, deadline: string | undefined): Date | null {
  if (stage === "closed") return null;
  return deadlineInstant(deadline ?? addDays(from, DEFAULT_DAYS_TO_NEXT_STEP[stage]));
}

function covers(p: Principal, regionCode: string): boolean {
  return p.role === "admin" || (p.regionCode !== null && regionCovers(p.regionCode, regionCode));
}

async function insertCase(deps: AppDeps, row: CaseRow): Promise<CaseRow> {
  try {
    await deps.db.insert(cases).values(row);
    return row;
  } catch (err) {
    const e = pgError(err);
    if (e?.code === UNIQUE_VIOLATION && (e.constraint === "cases_test_key" || e.constraint === "cases_flag_key")) {
      const where = row.testId !== null ? eq(cases.testId, row.testId) : eq(cases.flagId, row.flagId ?? "");
      const [existing] = await deps.db.select().from(cases).where(where);
      if (existing !== undefined) throw problems.conflict("case-exists", `case ${existing.id} is already open for this ${row.testId !== null ? "test" : "flag"}`, { caseId: existing.id });
    }
    throw err;
  }
}

function newCase(deps: Pick<AppDeps, "clock" | "randomBytes">, base: Pick<CaseRow, "lotId" | "regionCode" | "source" | "testId" | "flagId" | "summary">, openedBy: string): CaseRow {
  const now = deps.clock();
  return {
    id: uuidv7(now, deps.randomBytes),
    ...base,
    stage: "open",
    openedAt: now,
    openedBy,
    dueAt: dueAfter("open", chinaDate(now), undefined),
    closedAt: null,
    createdAt: now,
  };
}

async function failedTest(deps: AppDeps, testId: string) {
  const [row] = await deps.db
    .select({ id: lotTests.id, lotId: lotTests.lotId, verdict: lotTests.verdict, kind: lotTests.kind, regionCode: parties.regionCode })
    .from(lotTests)
    .innerJoin(parties, eq(parties.id, lotTests.lotPartyId))
    .where(eq(lotTests.id, testId));
  return row;
}

/**
 * The hook for recording a test: opens a case for a failing test, once. Returns the case (new or already open for
 * the test), or null when the test is unknown or did not fail.
 */
export async function openCaseForFailedTest(deps: AppDeps, testId: string): Promise<CaseRow | null> {
  const test = await failedTest(deps, testId);
  if (test === undefined || test.verdict !== "fail") return null;
  const [existing] = await deps.db.select().from(cases).where(eq(cases.testId, testId));
  if (existing !== undefined) return existing;
  try {
    return await insertCase(deps, newCase(deps, { lotId: test.lotId, regionCode: test.regionCode, source: "failed_test", testId, flagId: null, summary: null }, "system"));
  } catch (err) {
    // A concurrent open of the same test won: answer with its case.
    const [raced] = await deps.db.select().from(cases).where(eq(cases.testId, testId));
    if (raced !== undefined) return raced;
    throw err;
  }
}

/**
 * Opens the case for a copied-code flag raised by scans (src/services/scans.ts), inside the caller's transaction so
 * the flag and its case are stored together. The flag's id is the case's opaque flag reference.
 */
export async function openCaseForScanFlag(
  deps: Pick<AppDeps, "clock" | "randomBytes">,
  db: Pick<AppDeps["db"], "insert">,
  flag: { flagId: string; lotId: string; regionCode: string; summary: string },
): Promise<CaseRow> {
  const row = newCase(deps, { lotId: flag.lotId, regionCode: flag.regionCode, source: "flag", testId: null, flagId: flag.flagId, summary: flag.summary }, "system");
  await db.insert(cases).values(row);
  return row;
}

export type OpenCaseInput = { testId: string; summary?: string | undefined } | { flagId: string; summary?: string | undefined };

export async function openCase(deps: AppDeps, principal: Principal | null, input: OpenCaseInput): Promise<CaseRow> {
  const p = requireRole(principal, OFFICERS);
  const summary = input.summary ?? null;
  if ("testId" in input) {
    const test = await failedTest(deps, input.testId);
    if (test === undefined || !covers(p, test.regionCode)) throw problems.validation([{ path: "testId", message: "is not a test in your region" }]);
    if (test.verdict !== "fail") throw problems.validation([{ path: "testId", message: `names a test whose verdict is ${test.verdict}; cases are opened from failed tests` }]);
    return insertCase(deps, newCase(deps, { lotId: test.lotId, regionCode: test.regionCode, source: "failed_test", testId: test.id, flagId: null, summary }, p.keyId));
  }
  // Flags come from the market gate: the certificate presented names the lot, the issuer's region the district.
  const result = await deps.db.execute(sql`
    SELECT f.id, c.lot_id, pa.region_code
    FROM market_flags f JOIN certificates c ON c.id = f.certificate_id JOIN lots lo ON lo.id = c.lot_id JOIN parties pa ON pa.id = lo.party_id
    WHERE f.id = ${input.flagId}`);
  const [flag] = rowsOf<{ id: string; lot_id: string; region_code: string }>(result);
  if (flag === undefined || !covers(p, flag.region_code)) throw problems.validation([{ path: "flagId", message: "is not a flag on a certificate issued in your region" }]);
  return insertCase(deps, newCase(deps, { lotId: flag.lot_id, regionCode: flag.region_code, source: "flag", testId: null, flagId: flag.id, summary }, p.keyId));
}

export async function getCase(deps: AppDeps, principal: Principal | null, id: string): Promise<{ row: CaseRow; steps: CaseStepRow[] }> {
  const p = requireRole(principal, OFFICERS);
  const [row] = await deps.db.select().from(cases).where(eq(cases.id, id));
  if (row === undefined || !covers(p, row.regionCode)) throw problems.notFound(`case ${id}`);
  const steps = await deps.db.select().from(caseSteps).where(eq(caseSteps.caseId, id)).orderBy(asc(caseSteps.seq));
  return { row, steps };
}

export interface StepInput {
  step: CaseStep;
  on: string;
  officer: string;
  documents: string[];
  note?: string | undefined;
  deadline?: string | undefined;
}

class StageMoved extends Error {}

export async function recordStep(deps: AppDeps, principal: Principal | null, id: string, input: StepInput): Promise<{ row: CaseRow; steps: CaseStepRow[] }> {
  const { row, steps } = await getCase(deps, principal, id);
  const p = principal!;
  const next = advance(row.stage, input.step);
  if (!next.ok) {
    throw problems.conflict(
      "case-step-not-allowed",
      next.allowed.length === 0
        ? `case ${id} is closed; no step follows 结案`
        : `${STEP_NAMES_ZH[input.step]} (${input.step}) cannot follow stage ${row.stage}; allowed next: ${next.allowed.map((s) => `${s} (${STEP_NAMES_ZH[s]})`).join(", ")}`,
      { stage: row.stage, allowed: next.allowed },
    );
  }
  const today = chinaDate(deps.clock());
  const previous = steps.at(-1)?.on ?? chinaDate(row.openedAt);
  const errors: { path: string; message: string }[] = [];
  if (input.on > today) errors.push({ path: "on", message: `is in the future (today is ${today})` });
  if (input.on < previous) errors.push({ path: "on", message: `is before the previous step (${previous})` });
  if (input.deadline !== undefined && next.stage === "closed") errors.push({ path: "deadline", message: "no step follows 结案, so it takes no deadline" });
  if (input.deadline !== undefined && input.deadline < input.on) errors.push({ path: "deadline", message: `is before the step's date (${input.on})` });
  if (errors.length > 0) throw problems.validation(errors);

  const now = deps.clock();
  const step: CaseStepRow = {
    id: uuidv7(now, deps.randomBytes),
    caseId: id,
    seq: steps.length + 1,
    step: input.step,
    on: input.on,
    officer: input.officer,
    documents: input.documents,
    note: input.note ?? null,
    nextDeadline: next.stage === "closed" ? null : (input.deadline ?? addDays(input.on, DEFAULT_DAYS_TO_NEXT_STEP[next.stage])),
    recordedBy: p.partyId,
    recordedByKey: p.keyId,
    createdAt: now,
  };
  try {
    await deps.db.transaction(async (tx) => {
      const moved = await tx
        .update(cases)
        .set({ stage: next.stage, dueAt: dueAfter(next.stage, input.on, input.deadline), closedAt: next.stage === "closed" ? now : null })
        .where(and(eq(cases.id, id), eq(cases.stage, row.stage)))
        .returning({ id: cases.id });
      if (moved.length === 0) throw new StageMoved();
      await tx.insert(caseSteps).values(step);
    });
  } catch (err) {
    const e = pgError(err);
    if (err instanceof StageMoved || (e?.code === UNIQUE_VIOLATION && e.constraint === "case_steps_case_seq_key")) {
      const fresh = await getCase(deps, principal, id);
      throw problems.conflict("case-step-not-allowed", `another step was recorded on case ${id} meanwhile; it is now at stage ${fresh.row.stage}`, {
        stage: fresh.row.stage,
        allowed: allowedSteps(fresh.row.stage),
      });
    }
    throw err;
  }
  return getCase(deps, principal, id);
}

export async function listCases(
  deps: AppDeps,
  principal: Principal | null,
  q: { limit: number; cursor?: string | undefined; overdue?: boolean | undefined; stage?: CaseStage | undefined; lotId?: string | undefined },
) {
  const p = requireRole(principal, OFFICERS);
  const where: SQL[] = [];
  if (p.role === "regulator") where.push(like(cases.regionCode, `${regionPrefix(p.regionCode ?? "")}%`));
  if (q.overdue === true) where.push(isNull(cases.closedAt), isNotNull(cases.dueAt), lt(cases.dueAt, deps.clock()));
  if (q.overdue === false) where.push(sql`NOT (${cases.closedAt} IS NULL AND ${cases.dueAt} IS NOT NULL AND ${cases.dueAt} < ${deps.clock().toISOString()}::timestamptz)`);
  if (q.stage !== undefined) where.push(eq(cases.stage, q.stage));
  if (q.lotId !== undefined) where.push(eq(cases.lotId, q.lotId));
  if (q.cursor !== undefined) where.push(gt(cases.id, q.cursor));
  const rows = await deps.db.select().from(cases).where(and(...where)).orderBy(asc(cases.id)).limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
}

export function caseView(deps: AppDeps, row: CaseRow, steps?: CaseStepRow[]) {
  const now = deps.clock();
  return {
    id: row.id,
    lotId: row.lotId,
    regionCode: row.regionCode,
    source: row.source,
    testId: row.testId,
    flagId: row.flagId,
    summary: row.summary,
    stage: row.stage,
    openedAt: row.openedAt.toISOString(),
    dueAt: row.dueAt?.toISOString() ?? null,
    overdue: row.closedAt === null && row.dueAt !== null && row.dueAt < now,
    closedAt: row.closedAt?.toISOString() ?? null,
    allowedNext: allowedSteps(row.stage),
    ...(steps === undefined
      ? {}
      : {
          steps: steps.map((s) => ({
            seq: s.seq,
            step: s.step,
            name: STEP_NAMES_ZH[s.step],
            on: s.on,
            officer: s.officer,
            documents: s.documents,
            note: s.note,
            nextDeadline: s.nextDeadline,
            recordedAt: s.createdAt.toISOString(),
          })),
        }),
  };
}
