import type { Excursion, ExcursionKind } from "./excursions";

export interface StoredExcursion {
  readonly id: string;
  readonly kind: ExcursionKind;
  readonly start: number;
  readonly end: number;
  readonly readings: number;
  readonly peakC: number;
}

export interface ReconcilePlan {
  /** Fresh excursions with no stored counterpart. */
  readonly insert: Excursion[];
  /** Stored excursions that the fresh readings changed, keeping their id (and so their recorded actions). */
  readonly update: { id: string; excursion: Excursion }[];
  /** Stored excursions the readings no longer support (split, shrunk below tolerance, or merged into another). */
  readonly void: string[];
}

/**
 * Matches excursions recomputed over a window of readings to those stored for the same window. A recomputed
 * excursion keeps the identity of the earliest stored one of its kind it overlaps, so actions already recorded stay
 * attached; stored ones it swallowed, and ones nothing overlaps any more, are voided rather than deleted.
 */
export function reconcileExcursions(stored: readonly StoredExcursion[], fresh: readonly Excursion[]): ReconcilePlan {
  const used = new Set<string>();
  const plan: { insert: Excursion[]; update: { id: string; excursion: Excursion }[]; void: string[] } = { insert: [], update: [], void: [] };
  const byStart = [...stored].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  for (const f of fresh) {
    const overlapping = byStart.filter((s) => !used.has(s.id) && s.kind === f.kind && s.start <= f.end && f.start <= s.end);
    const [keep, ...swallowed] = overlapping;
    if (keep === undefined) {
      plan.insert.push(f);
      continue;
    }
    used.add(keep.id);
    if (keep.start !== f.start || keep.end !== f.end || keep.readings !== f.readings || keep.peakC !== f.peakC) {
      plan.update.push({ id: keep.id, excursion: f });
    }
    for (const s of swallowed) {
      used.add(s.id);
      plan.void.push(s.id);
    }
  }
  for (const s of byStart) if (!used.has(s.id)) plan.void.push(s.id);
  return plan;
}
