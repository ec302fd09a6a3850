import type { ErrorObject } from "ajv";

/** The precompiled EPCIS 2.0 schema check; after a failed call, `errors` holds ajv's findings. */
export declare const validate: {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
};
export default validate;
