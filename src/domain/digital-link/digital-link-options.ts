/** Non-default behaviours of the GS1 Syntax Engine; strict GS1 Digital Link conformance leaves both off. */
export interface DigitalLinkOptions {
  /** Legacy: accept GTIN-8/12/13 for AI (01) and left-pad it to GTIN-14 instead of rejecting it. */
  readonly permitZeroSuppressedGtin?: boolean;
  /** Accept AIs missing from the dictionary, as variable-length CSET 82 data attributes. */
  readonly permitUnknownAiAttributes?: boolean;
}

/** Pads a zero-suppressed GTIN in AI (01) when the legacy option allows it. */
export function expandZeroSuppressedGtin(ai: string, value: string, options: DigitalLinkOptions): string {
  const suppressed = value.length === 8 || value.length === 12 || value.length === 13;
  return options.permitZeroSuppressedGtin && ai === "01" && suppressed ? value.padStart(14, "0") : value;
}
