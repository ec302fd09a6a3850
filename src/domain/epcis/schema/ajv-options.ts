import type { Options } from "ajv";

/**
 * allErrors so a client sees every problem at once; strict off because the GS1 schema uses
 * keywords and patterns ajv's strict mode flags but draft-07 allows.
 */
export const AJV_OPTIONS: Options = { allErrors: true, strict: false };
