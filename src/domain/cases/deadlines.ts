import type { CaseStage } from "./state-machine";

/**
 * Days allowed for the step that follows each stage, unless the officer sets a deadline. These are working
 * defaults, not statutory figures (the rulebook's time limits were not confirmed): districts override them per step.
 */
export const DEFAULT_DAYS_TO_NEXT_STEP: Record<Exclude<CaseStage, "closed">, number> = {
  open: 3,
  verified: 15,
  filed: 90,
  not_filed: 7,
  penalized: 30,
  not_penalized: 7,
};

/** `yyyy-mm-dd` plus whole days, calendar arithmetic in UTC so no time zone shifts the date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A deadline date is met until the end of that day in China (UTC+8). */
export function deadlineInstant(date: string): Date {
  return new Date(`${addDays(date, 1)}T00:00:00+08:00`);
}
