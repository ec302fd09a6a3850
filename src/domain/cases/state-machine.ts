/**
 * The 不合格处置 procedure as a state machine: 核查 → 立案 or 不予立案 → (after 立案) 行政处罚 or 不予处罚 → 结案.
 * A case not filed (不予立案) goes straight to 结案. Pure: the service stores what `advance` allows.
 */

export const CASE_STAGES = ["open", "verified", "filed", "not_filed", "penalized", "not_penalized", "closed"] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const CASE_STEPS = ["verify", "file", "decline_filing", "penalize", "decline_penalty", "close"] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

/** The names districts use, for pages, exports and error messages. */
export const STEP_NAMES_ZH: Record<CaseStep, string> = {
  verify: "核查",
  file: "立案",
  decline_filing: "不予立案",
  penalize: "行政处罚",
  decline_penalty: "不予处罚",
  close: "结案",
};

export const STAGE_NAMES_ZH: Record<CaseStage, string> = {
  open: "待核查",
  verified: "已核查",
  filed: "已立案",
  not_filed: "不予立案",
  penalized: "已处罚",
  not_penalized: "不予处罚",
  closed: "已结案",
};

const TRANSITIONS: Record<CaseStage, Partial<Record<CaseStep, CaseStage>>> = {
  open: { verify: "verified" },
  verified: { file: "filed", decline_filing: "not_filed" },
  filed: { penalize: "penalized", decline_penalty: "not_penalized" },
  not_filed: { close: "closed" },
  penalized: { close: "closed" },
  not_penalized: { close: "closed" },
  closed: {},
};

export function allowedSteps(stage: CaseStage): CaseStep[] {
  return CASE_STEPS.filter((s) => TRANSITIONS[stage][s] !== undefined);
}

export type Advance = { ok: true; stage: CaseStage } | { ok: false; allowed: CaseStep[] };

export function advance(stage: CaseStage, step: CaseStep): Advance {
  const next = TRANSITIONS[stage][step];
  return next === undefined ? { ok: false, allowed: allowedSteps(stage) } : { ok: true, stage: next };
}

/** Replays a case's steps from `open`; the first step that does not fit makes the whole history invalid. */
export function stageAfter(steps: readonly CaseStep[]): CaseStage | null {
  let stage: CaseStage = "open";
  for (const step of steps) {
    const r = advance(stage, step);
    if (!r.ok) return null;
    stage = r.stage;
  }
  return stage;
}

/** Milestones a case has passed, read off its current stage (the path to each stage is unique). */
export function milestones(stage: CaseStage, history?: readonly CaseStep[]): { verified: boolean; filed: boolean; penalized: boolean; closed: boolean } {
  // A closed case alone does not say whether it was filed: that needs the steps taken.
  const steps = new Set(history ?? []);
  const closed = stage === "closed";
  return {
    verified: stage !== "open",
    filed: stage === "filed" || stage === "penalized" || stage === "not_penalized" || (closed && steps.has("file")),
    penalized: stage === "penalized" || (closed && steps.has("penalize")),
    closed,
  };
}
