/**
 * Which applications on a plot count toward a lot harvested there. The records say where an input went but not
 * which crop cycle it was for, so the window is taken generously: from the last harvest recorded as ending a season
 * on that plot (拉秧, 清园), and never more than SEASON_DAYS before the harvest. Applications on the day the season
 * ended are counted, since the record cannot say whether they came before or after the clearing.
 */
import { addDays, compareDates, type ChinaDate } from "./china-date.js";

/** Longer than any interval or withdrawal period in the reference data, and than most vegetable cycles. */
export const SEASON_DAYS = 180;

export function seasonStart(harvestDate: ChinaDate, lastSeasonEnd: ChinaDate | null): ChinaDate {
  const cap = addDays(harvestDate, -SEASON_DAYS);
  return lastSeasonEnd !== null && compareDates(lastSeasonEnd, cap) > 0 ? lastSeasonEnd : cap;
}
