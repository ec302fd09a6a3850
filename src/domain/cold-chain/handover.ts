import { deviation, type TargetRange } from "./ranges";

export interface HandoverCheck {
  readonly flagged: boolean;
  /** The highest temperature accepted at a handover (frozen: storage maximum + 6 °C, i.e. −12 °C), if any. */
  readonly limitC: number | null;
  readonly reason: string | null;
}

/**
 * The check at a handover (entry, exit, delivery) on the temperature measured then. Frozen goods are flagged above
 * their handover limit; the transit allowance does not apply once goods change hands. Other goods are flagged
 * outside their storage range.
 */
export function checkHandover(range: TargetRange, celsius: number): HandoverCheck {
  if (range.handoverMaxC !== null) {
    if (celsius > range.handoverMaxC) {
      return { flagged: true, limitC: range.handoverMaxC, reason: `frozen goods at ${celsius} °C, above the handover limit of ${range.handoverMaxC} °C` };
    }
    return { flagged: false, limitC: range.handoverMaxC, reason: null };
  }
  if (deviation(range, celsius) > 0) {
    return { flagged: true, limitC: range.maxC, reason: `${celsius} °C is outside the storage range ${fmtRange(range)}` };
  }
  return { flagged: false, limitC: range.maxC, reason: null };
}

export function fmtRange(range: Pick<TargetRange, "minC" | "maxC">): string {
  if (range.minC === null) return `≤ ${range.maxC} °C`;
  if (range.maxC === null) return `≥ ${range.minC} °C`;
  return `${range.minC}–${range.maxC} °C`;
}
