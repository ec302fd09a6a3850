import { type CaseStage, type CaseStep, milestones } from "./state-machine";

/**
 * The three rates districts report, over a cohort of cases (those opened in the reporting period):
 *
 * - 核查处置率 (verification rate) = cases whose 核查 is done ÷ all cases in the cohort.
 * - 立案率 (filing rate)          = cases 立案 ÷ cases whose 核查 is done ("past 核查"). A case still awaiting the
 *                                   filing decision counts in the denominator, so the rate never overstates.
 * - 行政处罚率 (penalty rate)      = cases with 行政处罚 ÷ cases 立案. Filed cases still awaiting the decision count
 *                                   in the denominator, for the same reason.
 *
 * A rate whose denominator is 0 is null (not 0 and not 100 %): there was nothing to measure.
 */
export interface CaseRates {
  cases: number;
  verified: number;
  filed: number;
  penalized: number;
  closed: number;
  verificationRate: number | null;
  filingRate: number | null;
  penaltyRate: number | null;
}

export interface CaseForRates {
  stage: CaseStage;
  steps: readonly CaseStep[];
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export function caseRates(cohort: readonly CaseForRates[]): CaseRates {
  let verified = 0;
  let filed = 0;
  let penalized = 0;
  let closed = 0;
  for (const c of cohort) {
    const m = milestones(c.stage, c.steps);
    if (m.verified) verified++;
    if (m.filed) filed++;
    if (m.penalized) penalized++;
    if (m.closed) closed++;
  }
  return {
    cases: cohort.length,
    verified,
    filed,
    penalized,
    closed,
    verificationRate: ratio(verified, cohort.length),
    filingRate: ratio(filed, verified),
    penaltyRate: ratio(penalized, filed),
  };
}

/** The same rates from milestone counts, as SQL aggregates them. */
export function ratesFromCounts(counts: { cases: number; verified: number; filed: number; penalized: number; closed: number }): CaseRates {
  return {
    ...counts,
    verificationRate: ratio(counts.verified, counts.cases),
    filingRate: ratio(counts.filed, counts.verified),
    penaltyRate: ratio(counts.penalized, counts.filed),
  };
}
