import { deviation, type TargetRange } from "./ranges";

export interface Reading {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly celsius: number;
}

export type ExcursionKind =
  /** Outside the range (for frozen goods: above the transit allowance) for longer than the tolerance. */
  | "out_of_range"
  /** Frozen goods above their storage maximum, within the transit allowance, that did not recover in time. */
  | "not_recovered";

export interface Excursion {
  readonly kind: ExcursionKind;
  /** First and last reading outside the band (epoch ms). */
  readonly start: number;
  readonly end: number;
  readonly durationMs: number;
  /** The reading furthest outside the storage range, and by how many degrees. */
  readonly peakC: number;
  readonly maxDeviationC: number;
  readonly readings: number;
  /** The run spans a stretch with no readings (see `DetectOptions.logIntervalMs`). */
  readonly includesGap: boolean;
}

export interface Gap {
  readonly start: number;
  readonly end: number;
}

export interface DetectOptions {
  /** Time outside the range that is still tolerated (door openings, loading). */
  readonly toleranceMs: number;
  /** Frozen goods above storage maximum but within the transit allowance must be back within this. */
  readonly recoveryMs: number;
  /** The logger's interval; consecutive readings further apart than twice this leave a gap of unknown temperature. */
  readonly logIntervalMs: number;
}

/** GB 31605 practice: log every 10 minutes. Tolerance and recovery time are this service's defaults, not the standard's. */
export const DEFAULT_DETECT_OPTIONS: DetectOptions = {
  toleranceMs: 30 * 60_000,
  recoveryMs: 2 * 3600_000,
  logIntervalMs: 10 * 60_000,
};

/**
 * Readings by time; where two share an instant the one furthest outside the range is kept, so the result does not
 * depend on the order readings arrived in.
 */
export function normalizeReadings(readings: readonly Reading[], range: Pick<TargetRange, "minC" | "maxC">): Reading[] {
  const sorted = [...readings].sort((a, b) => a.at - b.at || deviation(range, b.celsius) - deviation(range, a.celsius) || b.celsius - a.celsius);
  const out: Reading[] = [];
  for (const r of sorted) if (out.length === 0 || out[out.length - 1]!.at !== r.at) out.push(r);
  return out;
}

/**
 * Excursions in a logger's readings.
 *
 * A run is a maximal sequence of consecutive readings outside the band; any reading inside ends it. Its time outside
 * is measured from its first to its last reading, so with 10-minute logging a 30-minute tolerance is exceeded by the
 * fifth reading in a row. A gap (no reading for more than twice the log interval) between two readings outside the
 * band does not end the run: with nothing to show the goods came back into range, the gap counts as time outside
 * and the excursion is marked `includesGap`. A gap next to a reading inside the band is reported by `findGaps`
 * only; no temperature is invented for it.
 */
export function detectExcursions(readings: readonly Reading[], range: TargetRange, options: DetectOptions = DEFAULT_DETECT_OPTIONS): Excursion[] {
  const series = normalizeReadings(readings, range);
  const hardMax = range.transitMaxC ?? range.maxC;
  const found: Excursion[] = runs(series, range, { minC: range.minC, maxC: hardMax }, options.logIntervalMs)
    .filter((r) => r.end - r.start > options.toleranceMs)
    .map((r) => ({ ...r, kind: "out_of_range" as const }));
  if (range.transitMaxC !== null) {
    const rises = runs(series, range, { minC: range.minC, maxC: range.maxC }, options.logIntervalMs)
      .filter((r) => r.end - r.start > options.recoveryMs)
      .map((r) => ({ ...r, kind: "not_recovered" as const }));
    found.push(...rises);
  }
  return found.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
}

type Band = Pick<TargetRange, "minC" | "maxC">;

function runs(series: readonly Reading[], range: Band, band: Band, logIntervalMs: number): Omit<Excursion, "kind">[] {
  const result: Omit<Excursion, "kind">[] = [];
  let run: { start: number; end: number; peakC: number; maxDeviationC: number; readings: number; includesGap: boolean } | null = null;
  for (const r of series) {
    if (deviation(band, r.celsius) === 0) {
      if (run !== null) result.push(close(run));
      run = null;
      continue;
    }
    const dev = deviation(range, r.celsius);
    if (run === null) {
      run = { start: r.at, end: r.at, peakC: r.celsius, maxDeviationC: dev, readings: 1, includesGap: false };
    } else {
      if (r.at - run.end > 2 * logIntervalMs) run.includesGap = true;
      run.end = r.at;
      run.readings++;
      if (dev > run.maxDeviationC) {
        run.maxDeviationC = dev;
        run.peakC = r.celsius;
      }
    }
  }
  if (run !== null) result.push(close(run));
  return result;
}

function close(run: Omit<Excursion, "kind" | "durationMs">): Omit<Excursion, "kind"> {
  return { ...run, durationMs: run.end - run.start };
}

/** Stretches with no reading for more than twice the log interval: the temperature there is unknown. */
export function findGaps(readings: readonly Reading[], logIntervalMs: number = DEFAULT_DETECT_OPTIONS.logIntervalMs): Gap[] {
  const times = [...new Set(readings.map((r) => r.at))].sort((a, b) => a - b);
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    if (times[i]! - times[i - 1]! > 2 * logIntervalMs) gaps.push({ start: times[i - 1]!, end: times[i]! });
  }
  return gaps;
}
