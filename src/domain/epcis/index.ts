export { eventHashId, eventPreHash, type EpcisEventJson, type HashContext } from "./event-hash.js";
export { documentEvents, hashContextOfDocument } from "./document-events.js";
export { validateEpcisDocument, type EpcisValidationResult, type SchemaViolation } from "./validate-document.js";
export * from "./model.js";
