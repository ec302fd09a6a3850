import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { validatorSource } from "./validator-source.js";

it("the committed precompiled validator matches the schema and ajv in use", () => {
  const committed = readFileSync(join(import.meta.dirname, "epcis-schema-validator.generated.js"), "utf8");
  expect(committed === validatorSource(), "stale: run npx tsx src/domain/epcis/schema/generate-validator.ts").toBe(true);
});
