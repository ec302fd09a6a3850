/** Scans of certificate codes: coarse places, client classes and the copied-code rule. */
export { agentClass, countsAsPersonScan, SCAN_AGENTS, type ScanAgent } from "./agent";
export {
  copiedCodeFindings,
  DEFAULT_COPIED_CODE_RULES,
  distanceKm,
  explainedScans,
  SCAN_FLAG_KINDS,
  type CopiedCodeFinding,
  type CopiedCodeInput,
  type CopiedCodeRules,
  type RegionScans,
  type ScanFlagKind,
  type ScanPoint,
} from "./copied-code";
export { coarsePlace, NO_PLACE, placeFromHeader, placeLabel, type ScanPlace } from "./place";
