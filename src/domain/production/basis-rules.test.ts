import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkBasis, type UsedIngredient } from "./basis-rules.js";
import type { LotTest } from "./test-record.js";

const at = "2026-05-01T09:00:00+08:00";
const enzymeSelfTest = (id: string, rate = 12): LotTest => ({
  id,
  kind: "self_test",
  testedAt: at,
  lab: null,
  reportNo: null,
  retestOf: null,
  method: "enzyme_inhibition",
  inhibitionRatePercent: rate,
});
const goldSelfTest = (id: string, analytes: string[]): LotTest => ({
  id,
  kind: "self_test",
  testedAt: at,
  lab: null,
  reportNo: null,
  retestOf: null,
  method: "colloidal_gold",
  readings: analytes.map((analyte) => ({ analyte, readerResult: "negative" })),
});
const labTest = (id: string, analytes: string[], details: { lab?: string | null; reportNo?: string | null } = {}): LotTest => ({
  id,
  kind: "entrusted_test",
  testedAt: at,
  lab: details.lab === undefined ? "浙江某检测有限公司" : details.lab,
  reportNo: details.reportNo === undefined ? `WT-${id}` : details.reportNo,
  retestOf: null,
  method: "lab",
  readings: analytes.map((analyte) => ({ analyte, valueMgPerKg: null, limitMgPerKg: null })),
});

const methomyl: UsedIngredient = { name: "灭多威", chemicalClass: "carbamate" };
const abamectin: UsedIngredient = { name: "阿维菌素", chemicalClass: "avermectin" };
const carbendazim: UsedIngredient = { name: "多菌灵", chemicalClass: "benzimidazole" };
const unknown: UsedIngredient = { name: "某新药", chemicalClass: null };

const gapKinds = (result: ReturnType<typeof checkBasis>) => result.gaps.map((gap) => gap.kind);

describe("checkBasis", () => {
  it("needs nothing for quality control", () => {
    expect(checkBasis({ basis: "quality_control", usedIngredients: [abamectin], tests: [] })).toEqual({
      satisfied: true,
      gaps: [],
      supportingTestIds: [],
    });
  });

  it("accepts a passing enzyme self-test for a carbamate", () => {
    expect(checkBasis({ basis: "self_test", usedIngredients: [methomyl], tests: [enzymeSelfTest("e")] })).toMatchObject({
      satisfied: true,
      supportingTestIds: ["e"],
    });
  });

  it("does not let enzyme inhibition stand for an avermectin", () => {
    const result = checkBasis({ basis: "self_test", usedIngredients: [methomyl, abamectin], tests: [enzymeSelfTest("e")] });
    expect(result.satisfied).toBe(false);
    expect(result.gaps).toEqual([expect.objectContaining({ kind: "ingredient_not_covered", ingredient: "阿维菌素" })]);
    expect(result.gaps[0]?.messageZh).toContain("本批用过阿维菌素");
    expect(result.gaps[0]?.messageZh).toContain("酶抑制法只能检出有机磷和氨基甲酸酯类");
  });

  it("lets several self-tests cover together, gold strips by named analyte", () => {
    const tests = [enzymeSelfTest("e"), goldSelfTest("g", ["多菌灵"])];
    expect(checkBasis({ basis: "self_test", usedIngredients: [methomyl, carbendazim], tests }).satisfied).toBe(true);
  });

  it("needs a passing test of the basis's own kind", () => {
    const result = checkBasis({ basis: "self_test", usedIngredients: [], tests: [labTest("l", [])] });
    expect(gapKinds(result)).toEqual(["no_passing_test"]);
    expect(result.gaps[0]?.messageZh).toBe("本批没有合格的自行检测记录，不能选择「自行检测合格」。");
    expect(checkBasis({ basis: "self_test", usedIngredients: [], tests: [enzymeSelfTest("pos", 80)] }).satisfied).toBe(false);
  });

  it("needs the lab and report number on an entrusted test", () => {
    const noLab = labTest("l1", ["阿维菌素"], { lab: " ", reportNo: null });
    const result = checkBasis({ basis: "entrusted_test", usedIngredients: [abamectin], tests: [noLab] });
    expect(gapKinds(result)).toEqual(["no_passing_test", "lab_details_missing", "ingredient_not_covered"]);
    expect(result.gaps[1]).toMatchObject({ testId: "l1", missing: ["lab", "reportNo"] });
    expect(result.gaps[1]?.messageZh).toBe("委托检测记录 l1 没有填写检测机构和报告编号，不能作为委托检测依据。");
  });

  it("accepts a complete lab report covering every ingredient by name", () => {
    const report = labTest("l", ["阿维菌素", "灭多威"]);
    expect(checkBasis({ basis: "entrusted_test", usedIngredients: [abamectin, methomyl], tests: [report] })).toMatchObject({
      satisfied: true,
      supportingTestIds: ["l"],
    });
  });

  it("covers an ingredient of unknown class only by name", () => {
    expect(checkBasis({ basis: "self_test", usedIngredients: [unknown], tests: [enzymeSelfTest("e")] }).satisfied).toBe(false);
    expect(checkBasis({ basis: "entrusted_test", usedIngredients: [unknown], tests: [labTest("l", ["某新药"])] }).satisfied).toBe(true);
  });

  it("ignores tests that are not passing, including undetermined lab results", () => {
    const undetermined: LotTest = {
      ...labTest("u", []),
      method: "lab",
      readings: [{ analyte: "阿维菌素", valueMgPerKg: 0.2, limitMgPerKg: null }],
    };
    expect(checkBasis({ basis: "entrusted_test", usedIngredients: [abamectin], tests: [undetermined] }).satisfied).toBe(false);
    expect(
      checkBasis({ basis: "entrusted_test", usedIngredients: [abamectin], tests: [undetermined], residueLimit: () => 0.5 }).satisfied,
    ).toBe(true);
  });

  it("never opens a gap by adding a test", () => {
    const ingredient = fc.constantFrom(methomyl, abamectin, carbendazim, unknown);
    const test = fc.oneof(
      fc.integer({ min: 0, max: 100 }).map((rate) => enzymeSelfTest(`e${rate}`, rate)),
      fc.subarray(["灭多威", "多菌灵", "阿维菌素"]).map((names) => goldSelfTest(`g${names.join()}`, names)),
      fc.subarray(["灭多威", "阿维菌素", "某新药"]).map((names) => labTest(`l${names.join()}`, names)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom("self_test", "entrusted_test") ,
        fc.array(ingredient, { maxLength: 4 }),
        fc.array(test, { maxLength: 4 }),
        test,
        (basis, used, tests, extra) => {
          const before = checkBasis({ basis, usedIngredients: used, tests });
          const after = checkBasis({ basis, usedIngredients: used, tests: [...tests, extra] });
          if (before.satisfied) expect(after.satisfied).toBe(true);
          const notCovered = (r: typeof before) =>
            r.gaps.flatMap((gap) => (gap.kind === "ingredient_not_covered" ? [gap.ingredient] : []));
          for (const name of notCovered(after)) expect(notCovered(before)).toContain(name);
        },
      ),
    );
  });
});
