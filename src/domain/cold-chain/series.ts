import type { TargetRange } from "./ranges";

/** Points a chart gets: enough to show the shape and every spike on a phone screen. */
export const SERIES_POINTS = 200;

/**
 * One stretch of a thinned series, as the database sums it up: its lowest and its highest reading, each the earliest
 * of its value (epoch milliseconds).
 */
export interface SeriesBucket {
  lowC: number;
  lowAt: number;
  highC: number;
  highAt: number;
}

/** Which reading of a stretch the chart keeps. */
export type KeptReading = "highest" | "lowest" | { furthestFrom: number };

/**
 * The reading a chart must not lose: the one furthest from the middle of the range, or the warmest where the range has
 * only a ceiling (frozen goods), the coldest where it has only a floor. Without a range, the middle of what was read.
 */
export function keptReading(range: Pick<TargetRange, "minC" | "maxC"> | null, observed: { min: number; max: number }): KeptReading {
  const minC = range?.minC ?? null;
  const maxC = range?.maxC ?? null;
  if (minC === null && maxC !== null) return "highest";
  if (maxC === null && minC !== null) return "lowest";
  return { furthestFrom: minC !== null && maxC !== null ? (minC + maxC) / 2 : (observed.min + observed.max) / 2 };
}

/**
 * The stretch's kept reading. The reading furthest from any value is the stretch's lowest or its highest, so those two
 * are all the database sends; between two equally far, the earlier is kept.
 */
export function bucketPoint(bucket: SeriesBucket, keep: KeptReading): { at: number; celsius: number } {
  const low = { at: bucket.lowAt, celsius: bucket.lowC };
  const high = { at: bucket.highAt, celsius: bucket.highC };
  if (keep === "highest") return high;
  if (keep === "lowest") return low;
  const fromLow = Math.abs(bucket.lowC - keep.furthestFrom);
  const fromHigh = Math.abs(bucket.highC - keep.furthestFrom);
  if (fromLow !== fromHigh) return fromLow > fromHigh ? low : high;
  return low.at <= high.at ? low : high;
}
