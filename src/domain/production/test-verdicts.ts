/**
 * Verdicts from test readings, and a lot's standing from its whole test history.
 *
 * - Enzyme inhibition (酶抑制法, GB/T 5009.199): inhibition ≥ 50 % is positive for organophosphates and carbamates
 *   as a class; it says nothing about any other class.
 * - Colloidal gold: the reader's positive / negative for each analyte named on the strip.
 * - Lab: a value above the limit fails, a value at the limit passes, not detected passes. The limit is the stricter
 *   of the one the report states and the reference MRL for the crop; with neither the reading is undetermined.
 * - A lot with any failing test has failed, unless a later, passing lab re-test (never a rapid test) is recorded
 *   against that failing test and covers what was found; both stay in the history.
 */
import { instantMs } from "./china-date.js";
import type { ChemicalClass } from "./reference.js";
import { normaliseName } from "./reference-lookup.js";
import type { LotTest, TestKind, TestMethod } from "./test-record.js";
import type { Wording } from "./wording.js";

export const ENZYME_INHIBITION_POSITIVE_PERCENT = 50;
export const ENZYME_INHIBITION_CLASSES: readonly ChemicalClass[] = ["organophosphate", "carbamate"];

/** What a verdict speaks for: one named ingredient, or a whole class the method reacts to. */
export type Analyte = { kind: "ingredient"; name: string } | { kind: "classes"; classes: readonly ChemicalClass[] };

export type Outcome = "pass" | "fail" | "undetermined";

export interface AnalyteVerdict extends Wording {
  analyte: Analyte;
  outcome: Outcome;
}

export interface TestVerdict {
  testId: string;
  kind: TestKind;
  method: TestMethod;
  outcome: Outcome;
  analytes: AnalyteVerdict[];
}

/** Residue limit in mg/kg for an analyte on the lot's crop, or null when none is known. */
export type ResidueLimit = (analyte: string) => number | null;
export type ClassOf = (ingredient: string) => ChemicalClass | null;

const noLimit: ResidueLimit = () => null;
const noClass: ClassOf = () => null;

export function isRapidMethod(method: TestMethod): boolean {
  return method !== "lab";
}

/** Does a verdict about `analyte` speak for this ingredient? */
export function analyteCovers(analyte: Analyte, ingredient: string, chemicalClass: ChemicalClass | null): boolean {
  return analyte.kind === "ingredient"
    ? normaliseName(analyte.name) === normaliseName(ingredient)
    : chemicalClass !== null && analyte.classes.includes(chemicalClass);
}

function enzymeVerdict(ratePercent: number): AnalyteVerdict {
  if (!Number.isFinite(ratePercent)) throw new RangeError(`Inhibition rate must be a number: ${ratePercent}`);
  const positive = ratePercent >= ENZYME_INHIBITION_POSITIVE_PERCENT;
  return {
    analyte: { kind: "classes", classes: ENZYME_INHIBITION_CLASSES },
    outcome: positive ? "fail" : "pass",
    messageZh: `酶抑制率 ${ratePercent}%，${positive ? "≥" : "<"} ${ENZYME_INHIBITION_POSITIVE_PERCENT}%：有机磷和氨基甲酸酯类农药${positive ? "阳性" : "阴性"}。`,
    messageEn: `Enzyme inhibition ${ratePercent}% is ${positive ? "at or above" : "below"} ${ENZYME_INHIBITION_POSITIVE_PERCENT}%: ${positive ? "positive" : "negative"} for organophosphates and carbamates.`,
  };
}

function labVerdict(analyte: string, value: number | null, limits: readonly (number | null)[]): AnalyteVerdict {
  const subject: Analyte = { kind: "ingredient", name: analyte };
  if (value === null)
    return {
      analyte: subject,
      outcome: "pass",
      messageZh: `${analyte}：未检出。`,
      messageEn: `${analyte}: not detected.`,
    };
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Residue must be a number of at least 0: ${value}`);
  const known = limits.filter((limit): limit is number => limit !== null);
  if (known.length === 0)
    return {
      analyte: subject,
      outcome: "undetermined",
      messageZh: `${analyte}：检出 ${value} mg/kg，没有可对照的限量，无法判定。`,
      messageEn: `${analyte}: ${value} mg/kg found, with no limit to judge it against.`,
    };
  const limit = Math.min(...known);
  const fails = value > limit;
  return {
    analyte: subject,
    outcome: fails ? "fail" : "pass",
    messageZh: `${analyte}：检出 ${value} mg/kg，限量 ${limit} mg/kg，${fails ? "超标，不合格" : "合格"}。`,
    messageEn: `${analyte}: ${value} mg/kg against a limit of ${limit} mg/kg, ${fails ? "over the limit: fail" : "pass"}.`,
  };
}

function analyteVerdicts(test: LotTest, residueLimit: ResidueLimit): AnalyteVerdict[] {
  switch (test.method) {
    case "enzyme_inhibition":
      return [enzymeVerdict(test.inhibitionRatePercent)];
    case "colloidal_gold":
      return test.readings.map(({ analyte, readerResult }) => ({
        analyte: { kind: "ingredient", name: analyte },
        outcome: readerResult === "positive" ? "fail" : "pass",
        messageZh: `${analyte}：胶体金${readerResult === "positive" ? "阳性" : "阴性"}。`,
        messageEn: `${analyte}: colloidal gold ${readerResult}.`,
      }));
    case "lab":
      return test.readings.map((reading) =>
        labVerdict(reading.analyte, reading.valueMgPerKg, [reading.limitMgPerKg, residueLimit(reading.analyte)]),
      );
  }
}

/** A test that reports no analyte proves nothing, so it is undetermined rather than passing. */
function overallOutcome(verdicts: readonly AnalyteVerdict[]): Outcome {
  if (verdicts.some((verdict) => verdict.outcome === "fail")) return "fail";
  if (verdicts.length === 0 || verdicts.some((verdict) => verdict.outcome === "undetermined")) return "undetermined";
  return "pass";
}

export function judgeTest(test: LotTest, residueLimit: ResidueLimit = noLimit): TestVerdict {
  const analytes = analyteVerdicts(test, residueLimit);
  return { testId: test.id, kind: test.kind, method: test.method, outcome: overallOutcome(analytes), analytes };
}

export type LotTestStatus = "untested" | "passed" | "failed" | "inconclusive";

export interface LotTestHistory {
  status: LotTestStatus;
  /** One per test, in the order given. */
  verdicts: TestVerdict[];
  /** Failing tests not cleared by a re-test. */
  openFailures: string[];
  cleared: { testId: string; clearedBy: string }[];
}

export interface LotTestOptions {
  residueLimit?: ResidueLimit;
  /** Chemical class of a lab analyte, so a lab re-test can be matched to an enzyme-inhibition positive. */
  classOf?: ClassOf;
}

/** Every analyte the failing test found is shown clean by the re-test. */
function retestCoversFailures(failed: TestVerdict, retest: TestVerdict, classOf: ClassOf): boolean {
  const found = failed.analytes.filter((verdict) => verdict.outcome === "fail");
  return found.every(({ analyte }) =>
    retest.analytes.some(
      (verdict) =>
        verdict.outcome === "pass" &&
        verdict.analyte.kind === "ingredient" &&
        analyteCovers(analyte, verdict.analyte.name, classOf(verdict.analyte.name)),
    ),
  );
}

function clearingRetest(
  failed: LotTest,
  failedVerdict: TestVerdict,
  tests: readonly LotTest[],
  verdicts: ReadonlyMap<string, TestVerdict>,
  classOf: ClassOf,
): LotTest | undefined {
  const failedAt = instantMs(failed.testedAt);
  return tests.find((candidate) => {
    const verdict = verdicts.get(candidate.id);
    return (
      candidate.retestOf === failed.id &&
      !isRapidMethod(candidate.method) &&
      instantMs(candidate.testedAt) > failedAt &&
      verdict?.outcome === "pass" &&
      retestCoversFailures(failedVerdict, verdict, classOf)
    );
  });
}

export function lotTestStatus(tests: readonly LotTest[], options: LotTestOptions = {}): LotTestHistory {
  const residueLimit = options.residueLimit ?? noLimit;
  const classOf = options.classOf ?? noClass;
  const verdicts = tests.map((test) => judgeTest(test, residueLimit));
  const byId = new Map(verdicts.map((verdict) => [verdict.testId, verdict]));
  const openFailures: string[] = [];
  const cleared: { testId: string; clearedBy: string }[] = [];
  tests.forEach((test, index) => {
    const verdict = verdicts[index];
    if (verdict?.outcome !== "fail") return;
    const retest = clearingRetest(test, verdict, tests, byId, classOf);
    if (retest === undefined) openFailures.push(test.id);
    else cleared.push({ testId: test.id, clearedBy: retest.id });
  });
  const status: LotTestStatus =
    tests.length === 0
      ? "untested"
      : openFailures.length > 0
        ? "failed"
        : verdicts.some((verdict) => verdict.outcome === "undetermined")
          ? "inconclusive"
          : "passed";
  return { status, verdicts, openFailures, cleared };
}
