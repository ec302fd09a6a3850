/**
 * Whether the tests recorded for a lot back the basis (承诺依据) the producer wants to print — "用什么药、检什么药":
 * - quality_control (质量安全控制符合要求) needs no test.
 * - self_test (自行检测合格) needs passing tests of kind self_test; entrusted_test (委托检测合格) needs passing tests of
 *   kind entrusted_test that name the lab and the report number.
 * - Together those tests must cover every active ingredient used on the lot: by a reading for that ingredient, or
 *   by a method that reacts to its class (enzyme inhibition: organophosphates and carbamates only).
 * Only passing tests count here; whether a failure elsewhere in the history sinks the lot is `lotTestStatus`'s call.
 */
import type { Basis } from "../certificate.js";
import type { ChemicalClass } from "./reference.js";
import type { LotTest } from "./test-record.js";
import { analyteCovers, judgeTest, type ResidueLimit, type TestVerdict } from "./test-verdicts.js";
import type { Wording } from "./wording.js";

export interface UsedIngredient {
  name: string;
  /** Null when the reference set does not know the ingredient: then only a reading naming it covers it. */
  chemicalClass: ChemicalClass | null;
}

type TestedBasis = Exclude<Basis, "quality_control">;

export type BasisGap = (
  | { kind: "no_passing_test"; basis: TestedBasis }
  | { kind: "lab_details_missing"; testId: string; missing: ("lab" | "reportNo")[] }
  | { kind: "ingredient_not_covered"; ingredient: string; chemicalClass: ChemicalClass | null }
) &
  Wording;

export interface BasisCheck {
  satisfied: boolean;
  gaps: BasisGap[];
  /** Tests that count toward the basis, to link on the certificate. */
  supportingTestIds: string[];
}

export interface BasisInput {
  basis: Basis;
  usedIngredients: readonly UsedIngredient[];
  tests: readonly LotTest[];
  residueLimit?: ResidueLimit;
}

const BASIS_ZH: Record<TestedBasis, string> = { self_test: "自行检测", entrusted_test: "委托检测" };
const BASIS_EN: Record<TestedBasis, string> = { self_test: "own test", entrusted_test: "accredited lab test" };

function missingLabDetails(test: LotTest): ("lab" | "reportNo")[] {
  const missing: ("lab" | "reportNo")[] = [];
  if ((test.lab ?? "").trim() === "") missing.push("lab");
  if ((test.reportNo ?? "").trim() === "") missing.push("reportNo");
  return missing;
}

function noPassingTest(basis: TestedBasis): BasisGap {
  return {
    kind: "no_passing_test",
    basis,
    messageZh: `本批没有合格的${BASIS_ZH[basis]}记录，不能选择「${BASIS_ZH[basis]}合格」。`,
    messageEn: `This lot has no passing ${BASIS_EN[basis]}, so the basis "${BASIS_EN[basis]} passed" cannot be chosen.`,
  };
}

function labDetailsMissing(testId: string, missing: ("lab" | "reportNo")[]): BasisGap {
  const zh = missing.map((field) => (field === "lab" ? "检测机构" : "报告编号")).join("和");
  const en = missing.map((field) => (field === "lab" ? "the lab" : "the report number")).join(" and ");
  return {
    kind: "lab_details_missing",
    testId,
    missing,
    messageZh: `委托检测记录 ${testId} 没有填写${zh}，不能作为委托检测依据。`,
    messageEn: `Lab test ${testId} does not name ${en}, so it cannot back an accredited lab test basis.`,
  };
}

function ingredientNotCovered(ingredient: UsedIngredient, basis: TestedBasis): BasisGap {
  const classHintZh = "（酶抑制法只能检出有机磷和氨基甲酸酯类，胶体金试纸只能检出试纸上标明的项目）";
  const classHintEn = " (enzyme inhibition detects only organophosphates and carbamates; a colloidal-gold strip only the analytes printed on it)";
  return {
    kind: "ingredient_not_covered",
    ingredient: ingredient.name,
    chemicalClass: ingredient.chemicalClass,
    messageZh: `本批用过${ingredient.name}，但合格的${BASIS_ZH[basis]}没有检${ingredient.name}${classHintZh}。请加检${ingredient.name}。`,
    messageEn: `${ingredient.name} was used on this lot, but no passing ${BASIS_EN[basis]} checked for it${classHintEn}. Test for ${ingredient.name}.`,
  };
}

function covered(ingredient: UsedIngredient, verdicts: readonly TestVerdict[]): boolean {
  return verdicts.some((verdict) =>
    verdict.analytes.some(
      (analyte) =>
        analyte.outcome === "pass" && analyteCovers(analyte.analyte, ingredient.name, ingredient.chemicalClass),
    ),
  );
}

export function checkBasis({ basis, usedIngredients, tests, residueLimit }: BasisInput): BasisCheck {
  if (basis === "quality_control") return { satisfied: true, gaps: [], supportingTestIds: [] };

  const gaps: BasisGap[] = [];
  const passing = tests
    .filter((test) => test.kind === basis)
    .map((test) => ({ test, verdict: judgeTest(test, residueLimit) }))
    .filter(({ verdict }) => verdict.outcome === "pass");
  const supporting = passing.filter(({ test }) => basis !== "entrusted_test" || missingLabDetails(test).length === 0);

  if (supporting.length === 0) {
    gaps.push(noPassingTest(basis));
    for (const { test } of passing) gaps.push(labDetailsMissing(test.id, missingLabDetails(test)));
  }
  const verdicts = supporting.map(({ verdict }) => verdict);
  for (const ingredient of usedIngredients)
    if (!covered(ingredient, verdicts)) gaps.push(ingredientNotCovered(ingredient, basis));

  return { satisfied: gaps.length === 0, gaps, supportingTestIds: supporting.map(({ test }) => test.id) };
}
