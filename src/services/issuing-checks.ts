import type { AppDeps } from "../deps";
import type { Basis, CertificateContent } from "../domain/certificate";
import { checkBasis } from "../domain/production/basis-rules";
import type { GateWarning } from "../domain/production/gate-findings";
import { checkIssuingGate } from "../domain/production/issuing-gate";
import { ingredientClass } from "../domain/production/reference-lookup";
import { lotTestStatus } from "../domain/production/test-verdicts";
import { usedIngredients } from "../domain/production/used-ingredients";
import { ApiError, problems } from "../http/problem";
import { testsOfLot } from "./lab-tests";
import { applicationsForLot } from "./production-records";
import { currentReference } from "./reference-data";

export interface IssuingChecks {
  tests: CertificateContent["tests"];
  warnings: GateWarning[];
  referenceVersion: string;
}

const lines = (findings: readonly { messageZh: string }[]) => findings.map((f) => f.messageZh).join("\n");

/**
 * What a lot must pass before a certificate is issued for it, in the order a farmer fixes things: the testIds
 * named exist on the lot; no test stands failed; the pre-harvest intervals, season caps and bans hold (no override);
 * and a tested basis is backed by passing tests that cover every ingredient used. Every refusal is a 422 whose
 * detail is the Chinese sentences a farmer reads; warnings go back with the certificate.
 */
export async function runIssuingChecks(
  deps: AppDeps,
  lot: { id: string; siteId: string | null; harvestedOn: string },
  crop: string,
  basis: Basis,
  testIds: readonly string[],
): Promise<IssuingChecks> {
  const [reference, applications, tests] = await Promise.all([currentReference(deps), applicationsForLot(deps, lot), testsOfLot(deps, lot.id)]);

  const byId = new Map(tests.map((t) => [t.id, t]));
  const unknown = testIds.flatMap((id, i) => (byId.has(id) ? [] : [{ path: `testIds.${i}`, message: `test ${id} was not found for this lot` }]));
  if (basis !== "quality_control" && testIds.length === 0) {
    unknown.push({ path: "testIds", message: `basis ${basis} needs the passing test records it relies on` });
  }
  if (unknown.length > 0) throw problems.validation(unknown);

  const status = lotTestStatus(
    tests.map((t) => t.record),
    { classOf: (name) => ingredientClass(reference, name) },
  );
  if (status.status === "failed") {
    const failed = tests.filter((t) => status.openFailures.includes(t.id));
    const found = failed.flatMap((t) => t.analyteVerdicts.filter((a) => a.outcome === "fail"));
    throw new ApiError(
      422,
      "lot-failed-test",
      "The lot failed a test",
      `本批检测不合格，不能开具合格证：${found.map((f) => f.messageZh).join(" ")}如有异议，可申请实验室复检。`,
      { failures: failed.map((t) => ({ testId: t.id, kind: t.kind, method: t.method, testedAt: t.testedAt.toISOString(), found: t.analyteVerdicts.filter((a) => a.outcome === "fail") })) },
    );
  }

  const gate = checkIssuingGate({ crop, harvestDate: lot.harvestedOn, applications, reference });
  if (!gate.allowed) {
    throw new ApiError(422, "issuing-refused", "The lot may not be certified yet", lines(gate.violations), {
      violations: gate.violations,
      warnings: gate.warnings,
      earliestHarvestDate: gate.earliestHarvestDate,
      referenceVersion: gate.referenceVersion,
    });
  }

  const named = testIds.map((id) => byId.get(id)!);
  const basisCheck = checkBasis({
    basis,
    usedIngredients: usedIngredients(applications, lot.harvestedOn, reference),
    // Lab limits were frozen into each record when it was entered, so the verdicts here are the recorded ones.
    tests: named.map((t) => t.record),
  });
  if (!basisCheck.satisfied) {
    throw new ApiError(422, "basis-not-met", "The tests do not back this basis", lines(basisCheck.gaps), {
      gaps: basisCheck.gaps,
      errors: basisCheck.gaps.map((g) => ({ path: g.kind === "lab_details_missing" ? "testIds" : "basis", message: g.messageEn })),
    });
  }
  // Only tests that back the printed basis go on the certificate: printing any other would overstate it.
  const supporting = new Set(basisCheck.supportingTestIds);
  return {
    tests: named
      .filter((t) => supporting.has(t.id))
      .map((t) => ({ id: t.id, kind: t.kind, lab: t.lab, reportNo: t.reportNo, testedAt: t.testedAt.toISOString() })),
    warnings: gate.warnings,
    referenceVersion: gate.referenceVersion,
  };
}
