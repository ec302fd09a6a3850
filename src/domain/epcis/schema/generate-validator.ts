/**
 * Writes epcis-schema-validator.generated.js; run after changing epcis-json-schema.json or
 * upgrading ajv: `npx tsx src/domain/epcis/schema/generate-validator.ts`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { validatorSource } from "./validator-source.js";

writeFileSync(join(import.meta.dirname, "epcis-schema-validator.generated.js"), validatorSource());
