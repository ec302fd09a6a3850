import type { ErrorObject } from "ajv";
import { validate } from "./schema/epcis-schema-validator.generated.js";

export interface SchemaViolation {
  /** JSON Pointer into the document; "" is the document itself. */
  readonly path: string;
  readonly message: string;
}

export type EpcisValidationResult =
  | { readonly valid: true }
  | { readonly valid: false; readonly errors: readonly SchemaViolation[] };

/** Checks a document against the EPCIS 2.0 JSON schema (draft-07, with format checking). */
export function validateEpcisDocument(document: unknown): EpcisValidationResult {
  if (validate(document)) return { valid: true };
  const violations = (validate.errors ?? [])
    // An if/then failure only repeats the errors of its "then" branch.
    .filter((error) => error.keyword !== "if")
    .map(toViolation);
  const unique = [...new Map(violations.map((v) => [`${v.path}\u0000${v.message}`, v])).values()];
  return { valid: false, errors: unique };
}

function toViolation(error: ErrorObject): SchemaViolation {
  const message = error.message ?? `fails ${error.keyword}`;
  const extra = error.params["additionalProperty"];
  return {
    path: error.instancePath,
    message: typeof extra === "string" ? `${message}: '${extra}'` : message,
  };
}
