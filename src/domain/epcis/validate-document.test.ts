import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateEpcisDocument } from "./validate-document.js";

const VECTORS = join(import.meta.dirname, "../../../test/vectors/epcis");
const read = (relative: string): unknown => JSON.parse(readFileSync(join(VECTORS, relative), "utf8"));

const verdicts = (read("ajv-validation-results.json") as { results: Record<string, string> }).results;

describe("validateEpcisDocument", () => {
  const examples = readdirSync(join(VECTORS, "examples")).filter((f) => f.endsWith(".jsonld"));

  it("has all 22 GS1 examples", () => {
    expect(examples).toHaveLength(22);
  });

  for (const file of examples) {
    it(`accepts GS1 example ${file}`, () => {
      expect(validateEpcisDocument(read(`examples/${file}`))).toEqual({ valid: true });
    });
  }

  // SensorData_with_combined_events.json sits in openepcis/valid upstream but breaks the GS1
  // schema (a sensorReport type that is neither a URI nor a listed term); the verdict file follows
  // the schema, and so do we.
  const openepcis = Object.entries(verdicts).filter(([file]) => file.startsWith("openepcis/"));

  it("covers the openepcis capture and query documents", () => {
    expect(openepcis.length).toBeGreaterThanOrEqual(33);
  });

  for (const [file, verdict] of openepcis) {
    it(`${verdict === "VALID" ? "accepts" : "rejects"} ${file}`, () => {
      const result = validateEpcisDocument(read(file));
      expect(result.valid).toBe(verdict === "VALID");
      if (!result.valid) {
        expect(result.errors.length).toBeGreaterThan(0);
        const firstExpected = verdict.replace(/^INVALID: /, "").split(" | ")[0] ?? "";
        const [path = ""] = firstExpected.split(" ", 1);
        expect(result.errors.map((e) => e.path)).toContain(path.startsWith("/") ? path : "");
      }
    });
  }

  it("reports path and message", () => {
    const result = validateEpcisDocument(read("openepcis/invalid/ObjectEvent_with_invalid_action.json"));
    expect(result).toMatchObject({
      valid: false,
      errors: expect.arrayContaining([{ path: "/epcisBody/eventList/0/action", message: "must be equal to one of the allowed values" }]),
    });
  });

  it("rejects values that are not documents", () => {
    expect(validateEpcisDocument(null).valid).toBe(false);
    expect(validateEpcisDocument("EPCISDocument").valid).toBe(false);
  });
});
