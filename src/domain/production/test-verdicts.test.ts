import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ColloidalGoldTest, EnzymeInhibitionTest, LabTest, LotTest } from "./test-record.js";
import { judgeTest, lotTestStatus } from "./test-verdicts.js";
import { ingredientClass } from "./reference-lookup.js";
import { SEED_REFERENCE } from "./seed-reference.js";

const header = { kind: "self_test", lab: null, reportNo: null, retestOf: null } as const;

function enzyme(id: string, rate: number, testedAt = "2026-05-01T08:00:00+08:00"): EnzymeInhibitionTest {
  return { ...header, id, testedAt, method: "enzyme_inhibition", inhibitionRatePercent: rate };
}

function gold(id: string, readings: ColloidalGoldTest["readings"], testedAt = "2026-05-01T08:00:00+08:00"): ColloidalGoldTest {
  return { ...header, kind: "market_rapid", id, testedAt, method: "colloidal_gold", readings };
}

function lab(
  id: string,
  readings: LabTest["readings"],
  options: { testedAt?: string; retestOf?: string | null } = {},
): LabTest {
  return {
    id,
    kind: "entrusted_test",
    lab: "某检测中心",
    reportNo: `R-${id}`,
    retestOf: options.retestOf ?? null,
    testedAt: options.testedAt ?? "2026-05-01T14:00:00+08:00",
    method: "lab",
    readings,
  };
}

const classOf = (name: string) => ingredientClass(SEED_REFERENCE, name);

describe("judgeTest", () => {
  it("calls enzyme inhibition positive from 50 % up", () => {
    expect(judgeTest(enzyme("a", 49.9)).outcome).toBe("pass");
    expect(judgeTest(enzyme("b", 50)).outcome).toBe("fail");
    expect(judgeTest(enzyme("c", 87)).analytes[0]).toMatchObject({
      analyte: { kind: "classes", classes: ["organophosphate", "carbamate"] },
      outcome: "fail",
      messageZh: "酶抑制率 87%，≥ 50%：有机磷和氨基甲酸酯类农药阳性。",
    });
    expect(() => judgeTest(enzyme("d", Number.NaN))).toThrow(RangeError);
  });

  it("reads colloidal gold per analyte", () => {
    const verdict = judgeTest(
      gold("g", [
        { analyte: "克伦特罗", readerResult: "negative" },
        { analyte: "莱克多巴胺", readerResult: "positive" },
      ]),
    );
    expect(verdict.outcome).toBe("fail");
    expect(verdict.analytes.map((a) => a.outcome)).toEqual(["pass", "fail"]);
  });

  it("fails a lab value above the limit and passes one at it", () => {
    const verdict = judgeTest(
      lab("l", [
        { analyte: "阿维菌素", valueMgPerKg: 0.05, limitMgPerKg: 0.05 },
        { analyte: "啶虫脒", valueMgPerKg: 0.51, limitMgPerKg: 0.5 },
        { analyte: "多菌灵", valueMgPerKg: null, limitMgPerKg: null },
      ]),
    );
    expect(verdict.analytes.map((a) => a.outcome)).toEqual(["pass", "fail", "pass"]);
    expect(verdict.analytes[1]?.messageZh).toBe("啶虫脒：检出 0.51 mg/kg，限量 0.5 mg/kg，超标，不合格。");
  });

  it("judges against the stricter of the stated limit and the reference limit", () => {
    const test = lab("l", [{ analyte: "阿维菌素", valueMgPerKg: 0.03, limitMgPerKg: 0.05 }]);
    expect(judgeTest(test).outcome).toBe("pass");
    expect(judgeTest(test, () => 0.02).outcome).toBe("fail");
    expect(judgeTest(lab("m", [{ analyte: "阿维菌素", valueMgPerKg: 0.03, limitMgPerKg: null }]), () => 0.05).outcome).toBe("pass");
  });

  it("leaves a detected residue with no limit, or a test with no reading, undetermined", () => {
    expect(judgeTest(lab("l", [{ analyte: "某药", valueMgPerKg: 0.1, limitMgPerKg: null }])).outcome).toBe("undetermined");
    expect(judgeTest(lab("e", [])).outcome).toBe("undetermined");
    expect(judgeTest(gold("e", [])).outcome).toBe("undetermined");
    expect(() => judgeTest(lab("n", [{ analyte: "x", valueMgPerKg: -1, limitMgPerKg: 1 }]))).toThrow(RangeError);
  });

  it("places the lab threshold exactly at the limit", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (value, limit) => {
        const outcome = judgeTest(lab("p", [{ analyte: "x", valueMgPerKg: value, limitMgPerKg: limit }])).outcome;
        expect(outcome).toBe(value > limit ? "fail" : "pass");
      }),
    );
  });

  it("places the enzyme threshold exactly at 50 %", () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 120, noNaN: true }), (rate) => {
        expect(judgeTest(enzyme("p", rate)).outcome).toBe(rate >= 50 ? "fail" : "pass");
      }),
    );
  });
});

describe("lotTestStatus", () => {
  const positive = gold("pos", [{ analyte: "克百威", readerResult: "positive" }], "2026-05-01T08:00:00+08:00");

  it("is untested with no history and passed with clean tests", () => {
    expect(lotTestStatus([]).status).toBe("untested");
    expect(lotTestStatus([enzyme("a", 10)]).status).toBe("passed");
  });

  it("fails on any positive", () => {
    expect(lotTestStatus([enzyme("a", 10), positive])).toMatchObject({ status: "failed", openFailures: ["pos"] });
  });

  it("clears a positive with a later passing lab re-test against it, keeping both", () => {
    const retest = lab("re", [{ analyte: "克百威", valueMgPerKg: null, limitMgPerKg: 0.02 }], { retestOf: "pos" });
    const history = lotTestStatus([positive, retest]);
    expect(history).toMatchObject({ status: "passed", openFailures: [], cleared: [{ testId: "pos", clearedBy: "re" }] });
    expect(history.verdicts.map((v) => v.outcome)).toEqual(["fail", "pass"]);
  });

  it("does not clear with a rapid re-test", () => {
    const rapid = { ...gold("re", [{ analyte: "克百威", readerResult: "negative" }], "2026-05-01T10:00:00+08:00"), retestOf: "pos" };
    expect(lotTestStatus([positive, rapid]).status).toBe("failed");
  });

  it("does not clear with a re-test that is earlier, unlinked, failing or silent on the analyte", () => {
    const clean = [{ analyte: "克百威", valueMgPerKg: null, limitMgPerKg: 0.02 }];
    const cases: LotTest[] = [
      lab("early", clean, { retestOf: "pos", testedAt: "2026-05-01T07:00:00+08:00" }),
      lab("same-time", clean, { retestOf: "pos", testedAt: "2026-05-01T00:00:00Z" }),
      lab("unlinked", clean),
      lab("failing", [{ analyte: "克百威", valueMgPerKg: 0.5, limitMgPerKg: 0.02 }], { retestOf: "pos" }),
      lab("other-analyte", [{ analyte: "多菌灵", valueMgPerKg: null, limitMgPerKg: null }], { retestOf: "pos" }),
      lab("undetermined", [...clean, { analyte: "某药", valueMgPerKg: 1, limitMgPerKg: null }], { retestOf: "pos" }),
    ];
    for (const retest of cases) expect(lotTestStatus([positive, retest]).openFailures).toContain("pos");
  });

  it("clears an enzyme positive with a lab re-test that measured an organophosphate or carbamate", () => {
    const positiveEnzyme = enzyme("enz", 70);
    const opRetest = lab("op", [{ analyte: "克百威", valueMgPerKg: null, limitMgPerKg: null }], { retestOf: "enz" });
    const otherRetest = lab("av", [{ analyte: "阿维菌素", valueMgPerKg: null, limitMgPerKg: null }], { retestOf: "enz" });
    expect(lotTestStatus([positiveEnzyme, opRetest], { classOf }).status).toBe("passed");
    expect(lotTestStatus([positiveEnzyme, otherRetest], { classOf }).status).toBe("failed");
    expect(lotTestStatus([positiveEnzyme, opRetest]).status).toBe("failed");
  });

  it("is inconclusive when nothing failed but a result could not be judged", () => {
    expect(lotTestStatus([lab("l", [{ analyte: "某药", valueMgPerKg: 0.1, limitMgPerKg: null }])]).status).toBe("inconclusive");
  });

  it("never clears a failure by adding a rapid test", () => {
    const rapidTest = fc
      .tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom<string | null>(null, "pos"))
      .map(([rate, minutes, retestOf]) => ({
        ...enzyme(`r${minutes}`, rate, new Date(Date.parse("2026-05-01T00:00:00Z") + minutes * 60_000).toISOString()),
        retestOf,
      }));
    fc.assert(
      fc.property(fc.array(rapidTest, { maxLength: 5 }), (extra) => {
        expect(lotTestStatus([positive, ...extra]).status).toBe("failed");
      }),
    );
  });
});
