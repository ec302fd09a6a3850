import type { AppDeps } from "../deps";
import { regionName } from "../domain/region";
import { type ColdChainSummary, coldChainSummary } from "./cold-chain";
import { standingByCode } from "./certificate-standing";
import { custodyChain } from "./custody";
import { type LotTestRow, testsOfLot } from "./lab-tests";
import { scanSummary, type ScanSummary } from "./scans";
import { verifyCertificate, type VerifyResult } from "./verify";

/** A test as the public sees it: what was tested, how, the result, the lab and its report number. */
export interface PublicTest {
  id: string;
  lotCode: string | null;
  kind: string;
  method: string;
  lab: string | null;
  reportNo: string | null;
  testedAt: string;
  verdict: string;
  analytes: { analyte: string; outcome: string; messageZh: string; messageEn: string }[];
}

/** One holder of the goods, without anything private (no party ids, phones or ID numbers). */
export interface PublicCustodyEntry {
  lotCode: string;
  holder: { name: string; kind: string };
  site: { name: string; regionCode: string; regionName: string | null } | null;
  how: string;
  since: string;
  until: string | null;
  depth: number;
}

export interface ScanTrace {
  origin: NonNullable<VerifyResult["certificate"]>["origin"];
  tests: PublicTest[];
  custody: PublicCustodyEntry[];
  /** At most one entry: the readings of every lot in the custody chain together. Empty without readings. */
  coldChain: ColdChainSummary[];
}

/** Every test on any of the lots, oldest first; read by the shared, prepared per-lot loader. */
async function testsOfLots(deps: AppDeps, lotIds: readonly string[]): Promise<LotTestRow[]> {
  const all = (await Promise.all(lotIds.map((id) => testsOfLot(deps, id)))).flat();
  return all.sort((a, b) => a.testedAt.getTime() - b.testedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type ScanFlagView = ScanSummary["flags"][number];

export type CertificateScan = VerifyResult & { trace: ScanTrace | null; flags: ScanFlagView[] };

function analyteName(a: { kind: "ingredient"; name: string } | { kind: "classes"; classes: readonly string[] }): string {
  return a.kind === "ingredient" ? a.name : a.classes.join("+");
}

/**
 * Everything a scan shows: the verdict (verify), and the trace behind it, read from the lots the goods passed
 * through: every test on any of them, who held them, and their temperature record. The scan counts are returned
 * apart: they change with every scan, so the JSON leaves them out and stays the same between changes of status.
 */
export async function certificateScan(deps: AppDeps, code: string): Promise<{ view: CertificateScan; scans: ScanSummary | null }> {
  // The standing names the lot and its lineage, so everything else is read at once, beside verify's checks.
  const normalized = deps.codeScheme.normalize(code);
  const standing = normalized.ok ? await standingByCode(deps, normalized.code) : null;
  const lotIds = standing?.lineageLotIds ?? [];
  const [result, custody, tests, cold, summary] = await Promise.all([
    verifyCertificate(deps, { code }, standing),
    standing === null ? Promise.resolve([]) : custodyChain(deps, standing.row.lotId),
    testsOfLots(deps, lotIds),
    coldChainSummary(deps, lotIds),
    standing === null ? Promise.resolve(null) : scanSummary(deps, standing.row.code),
  ]);
  if (result.certificate === null || summary === null) return { view: { ...result, trace: null, flags: [] }, scans: null };
  const cert = result.certificate;
  const codeOf = new Map(custody.map((e) => [e.lotId, e.lotCode]));
  codeOf.set(cert.lot.id, cert.lot.code);
  const view: CertificateScan = {
    ...result,
    trace: {
      origin: cert.origin,
      tests: tests.map((t) => ({
        id: t.id,
        lotCode: codeOf.get(t.lotId) ?? null,
        kind: t.kind,
        method: t.method,
        lab: t.lab,
        reportNo: t.reportNo,
        testedAt: t.testedAt.toISOString(),
        verdict: t.verdict,
        analytes: t.analyteVerdicts.map((v) => ({ analyte: analyteName(v.analyte), outcome: v.outcome, messageZh: v.messageZh, messageEn: v.messageEn })),
      })),
      custody: custody.map((e) => ({
        lotCode: e.lotCode,
        holder: { name: e.party.name, kind: e.party.kind },
        site: e.site === null ? null : { name: e.site.name, regionCode: e.site.regionCode, regionName: regionName(e.site.regionCode) },
        how: e.how,
        since: e.since,
        until: e.until,
        depth: e.depth,
      })),
      coldChain: cold === null ? [] : [cold],
    },
    flags: summary.flags,
  };
  return { view, scans: summary };
}
