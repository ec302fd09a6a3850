import { describe, expect, it } from "vitest";
import type { ReferenceSet } from "./reference.js";
import { SEED_REFERENCE } from "./seed-reference.js";
import { validateReference } from "./validate-reference.js";

const abamectin = SEED_REFERENCE.products[0]!;

function problemsOf(change: Partial<ReferenceSet>) {
  return validateReference({ ...SEED_REFERENCE, ...change }).map((problem) => `${problem.path}: ${problem.message}`);
}

describe("validateReference", () => {
  it("catches a mistyped crop in an interval", () => {
    const product = { ...abamectin, intervals: [{ ...abamectin.intervals[0]!, target: "叶菜类" }] };
    expect(problemsOf({ products: [product] })).toEqual(["products[0].intervals[0]: unknown crop or group 叶菜类"]);
  });

  it("accepts an alias where a crop is expected", () => {
    const product = { ...abamectin, intervals: [{ ...abamectin.intervals[0]!, target: "柑橘" }] };
    expect(problemsOf({ products: [product] })).toEqual([]);
  });

  it("catches bad numbers, duplicate ids and unknown ingredients", () => {
    const bad = {
      ...abamectin,
      activeIngredients: [{ name: "未知成分", content: null }],
      intervals: [{ ...abamectin.intervals[0]!, days: -1, maxApplicationsPerSeason: 0 }],
    };
    expect(problemsOf({ products: [abamectin, { ...abamectin }, bad] })).toEqual([
      "products[1]: duplicate product id abamectin-1.8-ec",
      "products[2]: duplicate product id abamectin-1.8-ec",
      "products[2].activeIngredients[0]: unknown ingredient 未知成分",
      "products[2].intervals[0]: days must be a whole number of at least 0",
      "products[2].intervals[0]: maxApplicationsPerSeason must be a whole number of at least 1",
    ]);
  });

  it("catches bans and limits that can never apply", () => {
    expect(
      problemsOf({
        bans: [
          { ingredient: "氧乐果", scope: { kind: "targets", targets: [] }, source: "x", note: null },
          { ingredient: "某药", scope: { kind: "targets", targets: ["柑桔树"] }, source: "x", note: null },
        ],
        mrls: [{ ingredient: "阿维菌素", target: "叶菜", mgPerKg: Number.NaN, source: "x" }],
      }),
    ).toEqual([
      "bans[0]: a crop ban needs at least one crop or group",
      "bans[1]: unknown ingredient 某药",
      "bans[1]: unknown crop or group 柑桔树",
      "mrls[0]: mgPerKg must be a number of at least 0",
    ]);
  });

  it("catches broken group links, aliases, version and date", () => {
    expect(
      problemsOf({ version: " ", effectiveFrom: "2026-02-30", cropGroups: { 上海青: ["叶菜"] }, cropAliases: { 青菜: "小青菜" } }),
    ).toEqual(
      expect.arrayContaining([
        "version: version is empty",
        "effectiveFrom: not a YYYY-MM-DD date",
        "cropGroups.上海青: unknown group 叶菜",
        "cropAliases.青菜: alias points to unknown crop 小青菜",
      ]),
    );
  });

  it("catches duplicate ingredients", () => {
    expect(problemsOf({ ingredients: [...SEED_REFERENCE.ingredients, SEED_REFERENCE.ingredients[0]!] })).toEqual([
      `ingredients[${SEED_REFERENCE.ingredients.length}]: duplicate ingredient ${SEED_REFERENCE.ingredients[0]!.name}`,
    ]);
  });
});
