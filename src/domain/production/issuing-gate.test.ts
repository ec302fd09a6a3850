import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, compareDates } from "./china-date.js";
import { checkIssuingGate } from "./issuing-gate.js";
import type { Application } from "./production-record.js";
import type { ReferenceSet } from "./reference.js";
import { SEED_REFERENCE } from "./seed-reference.js";

let nextId = 0;
function applied(
  name: string,
  formulation: string | null,
  appliedAt: string,
  activeIngredients: string[] = [],
): Application {
  nextId += 1;
  return { id: `app-${nextId}`, input: { name, formulation, registrationNo: null, activeIngredients }, appliedAt };
}

const abamectin = (at: string) => applied("阿维菌素", "1.8% EC", at);

function gate(crop: string, harvestDate: string, applications: Application[], reference: ReferenceSet = SEED_REFERENCE) {
  return checkIssuingGate({ crop, harvestDate, applications, reference });
}

const kinds = (findings: readonly { kind: string }[]) => findings.map((finding) => finding.kind);

describe("pre-harvest interval", () => {
  it("allows harvest on the application date plus the interval, not a day earlier", () => {
    const application = abamectin("2026-05-01");
    const onTime = gate("上海青", "2026-05-08", [application]);
    expect(onTime.allowed).toBe(true);
    expect(onTime.earliestHarvestDate).toBe("2026-05-08");

    const early = gate("上海青", "2026-05-07", [application]);
    expect(early.allowed).toBe(false);
    expect(early.violations).toEqual([
      expect.objectContaining({
        kind: "interval_not_elapsed",
        applicationId: application.id,
        appliedOn: "2026-05-01",
        intervalKind: "pre_harvest_interval",
        intervalDays: 7,
        intervalTarget: "叶菜",
        earliestHarvestDate: "2026-05-08",
        harvestDate: "2026-05-07",
      }),
    ]);
  });

  it("tells the farmer which input, when, the interval and the first allowed date, in Chinese and English", () => {
    const [violation] = gate("上海青", "2026-05-05", [abamectin("2026-05-01")]).violations;
    expect(violation?.messageZh).toBe(
      "「阿维菌素 1.8% EC」于 2026-05-01 使用，在叶菜上的安全间隔期是 7 天，最早 2026-05-08 才能采收。本批采收日期是 2026-05-05，太早了，不能开具合格证。",
    );
    expect(violation?.messageEn).toBe(
      "Abamectin 1.8% EC was applied on 2026-05-01; its pre-harvest interval on 叶菜 is 7 days, so the earliest allowed harvest date is 2026-05-08. This lot was harvested on 2026-05-05, too early to issue a certificate.",
    );
  });

  it("counts China calendar dates whatever the hour", () => {
    // 23:30 in Shanghai is still 1 May there; 00:30 on 2 May is not.
    expect(gate("上海青", "2026-05-08", [abamectin("2026-05-01T15:30:00Z")]).allowed).toBe(true);
    expect(gate("上海青", "2026-05-08", [abamectin("2026-05-01T16:30:00Z")]).allowed).toBe(false);
    expect(gate("上海青", "2026-05-07T16:00:00Z", [abamectin("2026-05-01")]).allowed).toBe(true);
    expect(gate("上海青", "2026-05-07T15:59:59Z", [abamectin("2026-05-01")]).allowed).toBe(false);
  });

  it("takes the latest ready date over all applications and reports each early one", () => {
    const applications = [abamectin("2026-04-01"), applied("啶虫脒", "20% SP", "2026-04-20"), applied("啶虫脒", "20% SP", "2026-04-25")];
    const result = gate("黄瓜", "2026-04-25", applications);
    expect(result.earliestHarvestDate).toBe("2026-04-26");
    expect(kinds(result.violations)).toEqual(["interval_not_elapsed"]);
    expect(gate("黄瓜", "2026-04-26", applications).allowed).toBe(true);
  });

  it("uses the longest interval when the formulation was not recorded", () => {
    const result = gate("黄瓜", "2026-05-02", [applied("啶虫脒", null, "2026-05-01")]);
    expect(result.earliestHarvestDate).toBe("2026-05-03");
    expect(result.allowed).toBe(false);
  });

  it("uses the longest interval among the crop's groups", () => {
    const reference: ReferenceSet = {
      ...SEED_REFERENCE,
      products: SEED_REFERENCE.products.map((product) =>
        product.id === "abamectin-1.8-ec"
          ? {
              ...product,
              intervals: [
                ...product.intervals,
                { target: "十字花科蔬菜", days: 10, maxApplicationsPerSeason: 2, confirmed: true, source: "test", note: null },
              ],
            }
          : product,
      ),
    };
    const result = gate("上海青", "2026-05-08", [abamectin("2026-05-01")], reference);
    expect(result.earliestHarvestDate).toBe("2026-05-11");
    expect(result.violations[0]).toMatchObject({ intervalTarget: "十字花科蔬菜", intervalDays: 10 });
  });

  it("applies the greenhouse-tomato row to 番茄(大棚) only", () => {
    const bifenthrin = applied("联苯菊酯", "10% EC", "2026-06-01");
    expect(gate("番茄(大棚)", "2026-06-04", [bifenthrin]).violations[0]).toMatchObject({ intervalDays: 4 });
    const openField = gate("番茄", "2026-06-02", [bifenthrin]);
    expect(openField.allowed).toBe(true);
    expect(kinds(openField.warnings)).toEqual(["no_interval_data"]);
  });

  it("uses the withdrawal period for veterinary drugs and warns that it is unconfirmed", () => {
    const dose = applied("恩诺沙星溶液", null, "2026-03-01");
    const result = gate("鸡", "2026-03-08", [dose]);
    expect(result.violations[0]).toMatchObject({ intervalKind: "withdrawal_period", intervalDays: 8, earliestHarvestDate: "2026-03-09" });
    expect(result.violations[0]?.messageZh).toContain("休药期是 8 天");
    expect(result.violations[0]?.messageZh).toContain("「恩诺沙星溶液」");
    expect(kinds(result.warnings)).toEqual(["unconfirmed_interval"]);
    expect(gate("鸡", "2026-03-09", [dose]).allowed).toBe(true);
  });
});

describe("applications per season", () => {
  it("refuses a second use of a once-a-season product, listing the dates", () => {
    const result = gate("上海青", "2026-06-30", [abamectin("2026-05-10"), abamectin("2026-05-01")]);
    expect(result.allowed).toBe(false);
    expect(result.violations).toEqual([
      expect.objectContaining({
        kind: "season_cap_exceeded",
        appliedOn: ["2026-05-01", "2026-05-10"],
        maxApplications: 1,
        capTarget: "叶菜",
      }),
    ]);
    expect(result.violations[0]?.messageZh).toBe(
      "「阿维菌素 1.8% EC」本季已使用 2 次（2026-05-01、2026-05-10），在叶菜上每季最多只能使用 1 次，不能开具合格证。",
    );
  });

  it("allows exactly the cap", () => {
    const three = ["2026-04-01", "2026-04-05", "2026-04-09"].map(abamectin);
    expect(gate("黄瓜", "2026-05-01", three).allowed).toBe(true);
    expect(kinds(gate("黄瓜", "2026-05-01", [...three, abamectin("2026-04-13")]).violations)).toEqual(["season_cap_exceeded"]);
  });

  it("counts each product separately", () => {
    const mixed = [
      ...["2026-04-01", "2026-04-05", "2026-04-09"].map((d) => applied("啶虫脒", "20% EC", d)),
      ...["2026-04-02", "2026-04-06", "2026-04-10"].map((d) => applied("啶虫脒", "20% SP", d)),
    ];
    expect(gate("黄瓜", "2026-05-01", mixed).allowed).toBe(true);
  });
});

describe("banned ingredients", () => {
  it("refuses a 公告199号 pesticide on a vegetable but not on rice", () => {
    const methamidophos = applied("某杀虫剂", null, "2026-04-01", ["甲胺磷"]);
    const onVegetable = gate("上海青", "2026-06-01", [methamidophos]);
    expect(onVegetable.violations).toEqual([
      expect.objectContaining({ kind: "banned_ingredient", ingredient: "甲胺磷", bannedOn: ["蔬菜"], cropMapped: true }),
    ]);
    expect(onVegetable.violations[0]?.messageZh).toBe(
      "「某杀虫剂」（2026-04-01 使用）含有在蔬菜上禁用的甲胺磷（农业部公告第199号），不能开具合格证。",
    );
    expect(gate("水稻", "2026-06-01", [methamidophos]).violations.filter((v) => v.kind === "banned_ingredient")).toEqual([]);
  });

  it("applies crop-specific bans through aliases and groups", () => {
    const omethoate = applied("氧乐果乳油", null, "2026-04-01", ["氧乐果"]);
    expect(gate("柑橘", "2026-06-01", [omethoate]).violations[0]).toMatchObject({ bannedOn: ["柑桔"] });
    expect(gate("甘蓝", "2026-06-01", [omethoate]).allowed).toBe(false);
    expect(gate("黄瓜", "2026-06-01", [omethoate]).violations).toEqual([]);

    const methomyl = applied("灭多威", null, "2026-04-01", ["灭多威"]);
    expect(gate("上海青", "2026-06-01", [methomyl]).violations[0]).toMatchObject({ bannedOn: ["十字花科蔬菜"] });
    expect(gate("茶鲜叶", "2026-06-01", [methomyl]).allowed).toBe(false);
    expect(gate("番茄", "2026-06-01", [methomyl]).violations).toEqual([]);
  });

  it("refuses an ingredient banned everywhere", () => {
    const reference: ReferenceSet = {
      ...SEED_REFERENCE,
      bans: [...SEED_REFERENCE.bans, { ingredient: "多菌灵", scope: { kind: "all" }, source: "test ban", note: null }],
    };
    const result = gate("水稻", "2026-06-01", [applied("多菌灵", "50% WP", "2026-05-01", ["多菌灵"])], reference);
    expect(result.violations[0]).toMatchObject({ bannedOn: "all", sources: ["test ban"] });
    expect(result.violations[0]?.messageEn).toContain("banned on all crops");
  });

  it("treats a crop missing from the map as covered by group bans", () => {
    const result = gate("芥蓝", "2026-06-01", [applied("某药", null, "2026-04-01", ["克百威"])]);
    expect(result.allowed).toBe(false);
    expect(result.violations[0]).toMatchObject({ cropMapped: false, bannedOn: ["蔬菜", "水果", "茶叶", "中草药材"] });
    expect(result.violations[0]?.messageZh).toContain("按禁用处理");
    expect(kinds(result.warnings)).toEqual(["crop_unmapped", "no_interval_data"]);
  });

  it("checks the reference product's ingredients when the record leaves them out", () => {
    const reference: ReferenceSet = {
      ...SEED_REFERENCE,
      bans: [...SEED_REFERENCE.bans, { ingredient: "阿维菌素", scope: { kind: "targets", targets: ["黄瓜"] }, source: "test", note: null }],
    };
    expect(gate("黄瓜", "2026-06-01", [abamectin("2026-05-01")], reference).violations[0]).toMatchObject({
      kind: "banned_ingredient",
      ingredient: "阿维菌素",
    });
  });
});

describe("missing data", () => {
  it("warns without blocking when a known product has no interval for the crop", () => {
    const result = gate("番茄", "2026-05-02", [abamectin("2026-05-01")]);
    expect(result.allowed).toBe(true);
    expect(result.earliestHarvestDate).toBeNull();
    expect(result.warnings).toEqual([expect.objectContaining({ kind: "no_interval_data", productKnown: true, crop: "番茄" })]);
  });

  it("warns about an unknown product and an unrecorded ingredient list", () => {
    const result = gate("黄瓜", "2026-05-02", [applied("神秘药水", null, "2026-05-01")]);
    expect(result.allowed).toBe(true);
    expect(kinds(result.warnings)).toEqual(["no_interval_data", "ingredients_unknown"]);
    expect(result.warnings[0]).toMatchObject({ productKnown: false });
  });

  it("leaves out and flags applications dated after the harvest", () => {
    const later = abamectin("2026-05-09");
    const result = gate("上海青", "2026-05-08", [abamectin("2026-05-01"), later]);
    expect(result.allowed).toBe(true);
    expect(result.earliestHarvestDate).toBe("2026-05-08");
    expect(result.warnings).toEqual([expect.objectContaining({ kind: "application_after_harvest", applicationId: later.id })]);
  });

  it("allows a lot with no applications and names the reference version", () => {
    const result = gate("雷笋", "2026-04-01", []);
    expect(result).toMatchObject({ allowed: true, earliestHarvestDate: null, referenceVersion: SEED_REFERENCE.version, crop: "雷笋" });
  });

  it("rejects unreadable dates", () => {
    expect(() => gate("黄瓜", "2026/05/01", [])).toThrow(RangeError);
    expect(() => gate("黄瓜", "2026-05-01", [abamectin("1 May")])).toThrow(RangeError);
  });
});

describe("properties", () => {
  const day = fc.integer({ min: 0, max: 3650 }).map((offset) => addDays("2024-01-01", offset));
  const crops = ["上海青", "黄瓜", "柑桔", "番茄(大棚)", "茶叶", "豇豆", "猪", "鸡"] as const;
  const inputs = [
    ["阿维菌素", "1.8% EC", []],
    ["啶虫脒", "20% EC", []],
    ["啶虫脒", null, []],
    ["联苯菊酯", "10% EC", []],
    ["噻嗪酮", "25% WP", []],
    ["三唑锡", "25% WP", []],
    ["氟苯尼考粉", null, []],
    ["伊维菌素注射液", null, []],
    ["某药", null, ["灭多威"]],
  ] as const;
  const application = fc
    .tuple(fc.constantFrom(...inputs), day)
    .map(([[name, formulation, ingredients], at]) => applied(name, formulation, at, [...ingredients]));

  it("allows harvest exactly on application date + interval and refuses the day before", () => {
    const rows = SEED_REFERENCE.products.flatMap((product) =>
      product.intervals.map((row) => ({ product, row })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...rows), day, ({ product, row }, at) => {
        const one = applied(product.name, product.formulation, at);
        expect(gate(row.target, addDays(at, row.days), [one]).allowed).toBe(true);
        if (row.days > 0) expect(gate(row.target, addDays(at, row.days - 1), [one]).allowed).toBe(false);
      }),
    );
  });

  it("never moves the earliest harvest date earlier when an application is added", () => {
    fc.assert(
      fc.property(fc.constantFrom(...crops), fc.array(application, { maxLength: 6 }), application, day, (crop, apps, extra, harvest) => {
        const before = gate(crop, harvest, apps).earliestHarvestDate;
        const after = gate(crop, harvest, [...apps, extra]).earliestHarvestDate;
        if (before !== null) expect(after !== null && compareDates(after, before) >= 0).toBe(true);
      }),
    );
  });

  it("never turns a refused lot into an allowed one when an application is added", () => {
    fc.assert(
      fc.property(fc.constantFrom(...crops), fc.array(application, { maxLength: 6 }), application, day, (crop, apps, extra, harvest) => {
        if (!gate(crop, harvest, apps).allowed) expect(gate(crop, harvest, [...apps, extra]).allowed).toBe(false);
      }),
    );
  });

  it("refuses for the interval exactly when harvest is before the earliest date", () => {
    fc.assert(
      fc.property(fc.constantFrom(...crops), fc.array(application, { maxLength: 6 }), day, (crop, apps, harvest) => {
        const result = gate(crop, harvest, apps);
        const early = result.violations.some((violation) => violation.kind === "interval_not_elapsed");
        expect(early).toBe(result.earliestHarvestDate !== null && compareDates(harvest, result.earliestHarvestDate) < 0);
      }),
    );
  });

  it("does not depend on the order of the records", () => {
    fc.assert(
      fc.property(fc.constantFrom(...crops), fc.array(application, { maxLength: 6 }), day, (crop, apps, harvest) => {
        const forward = gate(crop, harvest, apps);
        const backward = gate(crop, harvest, [...apps].reverse());
        expect(backward.allowed).toBe(forward.allowed);
        expect(backward.earliestHarvestDate).toBe(forward.earliestHarvestDate);
        expect(kinds(backward.violations).sort()).toEqual(kinds(forward.violations).sort());
      }),
    );
  });
});
