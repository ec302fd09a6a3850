import { describe, expect, it } from "vitest";
import { canonicalCrop, cropTargets, ingredientClass, matchProducts, residueLimitFor } from "./reference-lookup.js";
import type { ReferenceSet } from "./reference.js";
import { SEED_REFERENCE } from "./seed-reference.js";

const input = (name: string, formulation: string | null = null, registrationNo: string | null = null) => ({
  name,
  formulation,
  registrationNo,
  activeIngredients: [],
});

describe("cropTargets", () => {
  it("puts 上海青 under 叶菜, 十字花科蔬菜 and 蔬菜", () => {
    const { targets, mapped } = cropTargets(SEED_REFERENCE, "上海青");
    expect(mapped).toBe(true);
    expect([...targets].sort()).toEqual(["上海青", "十字花科蔬菜", "叶菜", "蔬菜"].sort());
  });

  it("maps the demo products", () => {
    expect(cropTargets(SEED_REFERENCE, "红心猕猴桃").targets.has("水果")).toBe(true);
    expect(cropTargets(SEED_REFERENCE, "雷笋").targets.has("蔬菜")).toBe(true);
    expect(cropTargets(SEED_REFERENCE, "黄瓜").targets.has("蔬菜")).toBe(true);
    expect(cropTargets(SEED_REFERENCE, "番茄").targets.has("蔬菜")).toBe(true);
    expect(cropTargets(SEED_REFERENCE, "柑桔").targets.has("水果")).toBe(true);
    expect(cropTargets(SEED_REFERENCE, "茶叶").mapped).toBe(true);
  });

  it("lets general rows bind greenhouse tomatoes but not the reverse", () => {
    expect(cropTargets(SEED_REFERENCE, "番茄(大棚)").targets.has("番茄")).toBe(true);
    expect(cropTargets(SEED_REFERENCE, "番茄").targets.has("番茄(大棚)")).toBe(false);
  });

  it("resolves aliases and full-width spellings", () => {
    expect(canonicalCrop(SEED_REFERENCE, "柑橘")).toBe("柑桔");
    expect(canonicalCrop(SEED_REFERENCE, " 番茄（大棚） ")).toBe("番茄(大棚)");
    expect(cropTargets(SEED_REFERENCE, "茶鲜叶").crop).toBe("茶叶");
  });

  it("flags crops missing from the map and still matches their own name", () => {
    const result = cropTargets(SEED_REFERENCE, "芥蓝");
    expect(result.mapped).toBe(false);
    expect([...result.targets]).toEqual(["芥蓝"]);
  });

  it("terminates on a cyclic map", () => {
    const cyclic: ReferenceSet = { ...SEED_REFERENCE, cropGroups: { 甲: ["乙"], 乙: ["甲"] } };
    expect([...cropTargets(cyclic, "甲").targets].sort()).toEqual(["乙", "甲"].sort());
  });
});

describe("matchProducts", () => {
  it("matches by name and formulation, ignoring spacing and full-width forms", () => {
    expect(matchProducts(SEED_REFERENCE, input("阿维菌素", "1.8%EC")).map((p) => p.id)).toEqual(["abamectin-1.8-ec"]);
    expect(matchProducts(SEED_REFERENCE, input("啶虫脒", "20％ sp")).map((p) => p.id)).toEqual(["acetamiprid-20-sp"]);
  });

  it("returns every formulation when the record names none", () => {
    expect(matchProducts(SEED_REFERENCE, input("啶虫脒")).map((p) => p.id).sort()).toEqual([
      "acetamiprid-20-ec",
      "acetamiprid-20-sp",
    ]);
  });

  it("prefers the registration number and falls back to the name when the number is unknown", () => {
    const withNumber: ReferenceSet = {
      ...SEED_REFERENCE,
      products: [...SEED_REFERENCE.products, { ...SEED_REFERENCE.products[0]!, id: "registered", registrationNo: "PD20080001" }],
    };
    expect(matchProducts(withNumber, input("别名", null, "pd20080001")).map((p) => p.id)).toEqual(["registered"]);
    expect(matchProducts(withNumber, input("三唑锡", "25% WP", "PD99999999")).map((p) => p.id)).toEqual([
      "azocyclotin-25-wp",
    ]);
  });

  it("finds nothing for an unknown product", () => {
    expect(matchProducts(SEED_REFERENCE, input("吡虫啉", "10% WP"))).toEqual([]);
  });
});

describe("ingredientClass and residueLimitFor", () => {
  it("knows the classes of seeded ingredients", () => {
    expect(ingredientClass(SEED_REFERENCE, "克百威")).toBe("carbamate");
    expect(ingredientClass(SEED_REFERENCE, "阿维菌素")).toBe("avermectin");
    expect(ingredientClass(SEED_REFERENCE, "吡虫啉")).toBeNull();
  });

  it("takes the strictest limit over the crop and its groups", () => {
    const reference: ReferenceSet = {
      ...SEED_REFERENCE,
      mrls: [
        { ingredient: "阿维菌素", target: "蔬菜", mgPerKg: 0.1, source: "test" },
        { ingredient: "阿维菌素", target: "叶菜", mgPerKg: 0.05, source: "test" },
        { ingredient: "阿维菌素", target: "柑桔", mgPerKg: 0.01, source: "test" },
      ],
    };
    expect(residueLimitFor(reference, "上海青")("阿维菌素")).toBe(0.05);
    expect(residueLimitFor(reference, "黄瓜")("阿维菌素")).toBe(0.1);
    expect(residueLimitFor(reference, "黄瓜")("啶虫脒")).toBeNull();
  });
});
