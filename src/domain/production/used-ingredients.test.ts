import { describe, expect, it } from "vitest";
import { SEED_REFERENCE } from "./seed-reference.js";
import { ingredientNamesOf, usedIngredients } from "./used-ingredients.js";

describe("ingredientNamesOf", () => {
  it("merges the record with the reference product, without duplicates or blanks", () => {
    const product = SEED_REFERENCE.products.find((p) => p.id === "abamectin-1.8-ec")!;
    const input = { name: "阿维菌素", formulation: "1.8% EC", registrationNo: null, activeIngredients: [" 阿维菌素 ", "", "高效氯氰菊酯"] };
    expect(ingredientNamesOf(input, [product])).toEqual(["阿维菌素", "高效氯氰菊酯"]);
  });
});

describe("usedIngredients", () => {
  it("lists ingredients applied up to the harvest date, with their classes", () => {
    const applications = [
      { id: "1", appliedAt: "2026-04-01", input: { name: "阿维菌素", formulation: "1.8% EC", registrationNo: null, activeIngredients: [] } },
      { id: "2", appliedAt: "2026-04-02", input: { name: "某药", formulation: null, registrationNo: null, activeIngredients: ["某新药"] } },
      { id: "3", appliedAt: "2026-05-02", input: { name: "灭多威", formulation: null, registrationNo: null, activeIngredients: ["灭多威"] } },
    ];
    expect(usedIngredients(applications, "2026-05-01", SEED_REFERENCE)).toEqual([
      { name: "阿维菌素", chemicalClass: "avermectin" },
      { name: "某新药", chemicalClass: null },
    ]);
  });
});
