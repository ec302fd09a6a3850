/** What may be recorded against an excursion. */
export const EXCURSION_ACTIONS = ["corrective", "release", "reject"] as const;
export type ExcursionAction = (typeof EXCURSION_ACTIONS)[number];

export type Disposition = "released" | "rejected";

export interface RecordedAction {
  readonly action: ExcursionAction;
  /** Epoch ms. */
  readonly at: number;
}

export interface ClosureState {
  readonly open: boolean;
  readonly disposition: Disposition | null;
  /** When the last step needed was recorded; null while open. */
  readonly closedAt: number | null;
}

/**
 * An excursion closes once a corrective action and a release or reject are both on record, in any order. Actions
 * recorded before the excursion was last revised (later readings extended it) no longer count: the longer
 * excursion needs its own decision. Of several decisions the latest wins.
 */
export function closureOf(actions: readonly RecordedAction[], revisedAt: number): ClosureState {
  const current = actions.filter((a) => a.at >= revisedAt).sort((a, b) => a.at - b.at);
  const corrective = current.find((a) => a.action === "corrective");
  const decisions = current.filter((a) => a.action !== "corrective");
  const decision = decisions[decisions.length - 1];
  if (corrective === undefined || decision === undefined) return { open: true, disposition: null, closedAt: null };
  return {
    open: false,
    disposition: decision.action === "release" ? "released" : "rejected",
    closedAt: Math.max(corrective.at, decisions[0]!.at),
  };
}
