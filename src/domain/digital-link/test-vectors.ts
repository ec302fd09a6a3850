/** Loads the GS1 conformance vectors copied into test/vectors/digital-link (tests only). */
import { readFileSync } from "node:fs";
import type { DigitalLinkOptions } from "./digital-link-options";

const VECTORS = new URL("../../../test/vectors/digital-link/", import.meta.url);

export function readVector(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, VECTORS), "utf8"));
}

export interface EngineOptions {
  permitConvenienceAlphas: boolean;
  permitZeroSuppressedGTINinDLuris: boolean;
  permitUnknownAIs: boolean;
  validation_UNKNOWN_AI_NOT_DL_ATTR: boolean;
}

export interface ParseVector {
  line: number;
  valid: boolean;
  uri: string;
  expectedElementString: string | null;
  note: string | null;
  options: EngineOptions;
}

export interface GenerateVector {
  line: number;
  shouldSucceed: boolean;
  stem: string | null;
  aiElementString: string;
  expectedUri: string | null;
  note: string | null;
  options: EngineOptions;
}

/**
 * Engine settings → ours. With unknown AIs permitted but not as data attributes, the
 * engine's verdicts are those of strict mode (an unknown AI can only be an attribute).
 */
export function toOptions(engine: EngineOptions): DigitalLinkOptions {
  return {
    permitZeroSuppressedGtin: engine.permitZeroSuppressedGTINinDLuris,
    permitUnknownAiAttributes: engine.permitUnknownAIs && !engine.validation_UNKNOWN_AI_NOT_DL_ATTR,
  };
}

export const isStrict = (o: EngineOptions): boolean =>
  !o.permitConvenienceAlphas && !o.permitZeroSuppressedGTINinDLuris && !o.permitUnknownAIs && o.validation_UNKNOWN_AI_NOT_DL_ATTR;
