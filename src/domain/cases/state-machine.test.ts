import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { advance, allowedSteps, CASE_STAGES, CASE_STEPS, type CaseStep, milestones, stageAfter } from "./state-machine";
import { caseRates } from "./rates";
import { addDays, deadlineInstant } from "./deadlines";

const step = fc.constantFrom(...CASE_STEPS);

describe("the case state machine", () => {
  it("follows 核查 → 立案 / 不予立案 → 行政处罚 / 不予处罚 → 结案", () => {
    expect(stageAfter(["verify", "file", "penalize", "close"])).toBe("closed");
    expect(stageAfter(["verify", "file", "decline_penalty", "close"])).toBe("closed");
    expect(stageAfter(["verify", "decline_filing", "close"])).toBe("closed");
    expect(stageAfter(["file"])).toBeNull();
    expect(stageAfter(["verify", "decline_filing", "penalize"])).toBeNull();
    expect(advance("open", "close")).toEqual({ ok: false, allowed: ["verify"] });
    expect(allowedSteps("verified")).toEqual(["file", "decline_filing"]);
    expect(allowedSteps("closed")).toEqual([]);
  });

  it("allows exactly the steps it lists, from every stage", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASE_STAGES), step, (stage, s) => {
        const r = advance(stage, s);
        expect(r.ok).toBe(allowedSteps(stage).includes(s));
        if (!r.ok) expect(r.allowed).toEqual(allowedSteps(stage));
      }),
    );
  });

  it("reaches 结案 in at most four steps on any path, and nothing follows it", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const stage = stageAfter(steps);
        if (stage === null) return;
        if (stage === "closed") expect(steps.length).toBeLessThanOrEqual(4);
        expect(steps.length).toBeLessThanOrEqual(4);
      }),
    );
  });

  it("walks: following allowed steps at random always ends closed, with milestones in order", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), (choices) => {
        let stage: (typeof CASE_STAGES)[number] = "open";
        const taken: CaseStep[] = [];
        for (const c of choices) {
          const allowed = allowedSteps(stage);
          if (allowed.length === 0) break;
          const s = allowed[c % allowed.length]!;
          const r = advance(stage, s);
          if (!r.ok) throw new Error("listed step refused");
          stage = r.stage;
          taken.push(s);
        }
        expect(stage).toBe("closed");
        const m = milestones(stage, taken);
        // 处罚 implies 立案 implies 核查.
        expect(!m.penalized || m.filed).toBe(true);
        expect(!m.filed || m.verified).toBe(true);
      }),
    );
  });
});

describe("rates", () => {
  it("compute 核查处置率, 立案率 and 行政处罚率 over the cohort, null when nothing to measure", () => {
    const r = caseRates([
      { stage: "open", steps: [] },
      { stage: "verified", steps: ["verify"] },
      { stage: "not_filed", steps: ["verify", "decline_filing"] },
      { stage: "closed", steps: ["verify", "file", "penalize", "close"] },
      { stage: "closed", steps: ["verify", "file", "decline_penalty", "close"] },
    ]);
    expect(r).toMatchObject({ cases: 5, verified: 4, filed: 2, penalized: 1, closed: 2, verificationRate: 0.8, filingRate: 0.5, penaltyRate: 0.5 });
    expect(caseRates([])).toMatchObject({ verificationRate: null, filingRate: null, penaltyRate: null });
  });

  it("stay between 0 and 1 for any cohort of valid histories", () => {
    const history = fc.array(step, { maxLength: 4 }).filter((s) => stageAfter(s) !== null);
    fc.assert(
      fc.property(fc.array(history, { maxLength: 30 }), (histories) => {
        const r = caseRates(histories.map((h) => ({ stage: stageAfter(h)!, steps: h })));
        for (const v of [r.verificationRate, r.filingRate, r.penaltyRate]) if (v !== null) expect(v >= 0 && v <= 1).toBe(true);
        expect(r.penalized <= r.filed && r.filed <= r.verified && r.verified <= r.cases).toBe(true);
      }),
    );
  });
});

describe("deadlines", () => {
  it("count calendar days and end at midnight China time", () => {
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    expect(deadlineInstant("2026-11-20").toISOString()).toBe("2026-11-20T16:00:00.000Z");
  });
});
