import { sql } from "drizzle-orm";
import { type Principal, requireRole } from "../auth/principal";
import type { AppDeps } from "../deps";
import { CASE_STAGES, type CaseRates, type CaseStage, ratesFromCounts } from "../domain/cases";
import { chinaDate } from "../domain/ids";
import { regionCovers, regionName, regionPrefix } from "../domain/region";
import { chinaMidnight, monthsBetween, monthStart, share } from "../domain/statistics";
import { problems } from "../http/problem";
import { rowsOf } from "../db/rows";

/**
 * The figures districts report upward, per month (China time) for a region and everything below it. Each figure is
 * one grouped query; a month with nothing recorded is reported as zeros, so charts have no gaps.
 */

export interface MonthFigures {
  month: string;
  certificates: { issued: number; issuingParties: number };
  /** 查验率: receipts at markets with a certificate ÷ all receipts; null where the market gate is not deployed. */
  marketReceipts: { total: number; withCertificate: number; share: number | null } | null;
  rapidTests: { total: number; positive: number; positiveShare: number | null };
  sampling: { total: number; failed: number; failureShare: number | null };
  recalls: number;
  cases: { opened: number; byStage: Record<CaseStage, number>; rates: CaseRates };
}

export interface Statistics {
  region: { code: string | null; name: string | null };
  from: string;
  to: string;
  groupBy: "month";
  months: MonthFigures[];
  totals: Omit<MonthFigures, "month">;
}

const MONTH = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`);

async function tableExists(deps: Pick<AppDeps, "db">, name: string): Promise<boolean> {
  const [row] = rowsOf<{ found: string | null }>(await deps.db.execute(sql`SELECT to_regclass(${name})::text AS found`));
  return row?.found !== null && row?.found !== undefined;
}

type Counts = Map<string, Record<string, number>>;

async function grouped(deps: Pick<AppDeps, "db">, query: ReturnType<typeof sql>): Promise<Counts> {
  const out: Counts = new Map();
  for (const r of rowsOf<Record<string, string | number>>(await deps.db.execute(query))) {
    const { month, ...rest } = r;
    out.set(String(month), Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Number(v)])));
  }
  return out;
}

export interface StatsQuery {
  region?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Regulators see their region and below (their own by default); admins any region, the whole country by default. */
function regionFor(p: Principal, asked: string | undefined): string | null {
  if (p.role === "admin") return asked ?? null;
  const own = p.regionCode ?? "";
  if (asked === undefined) return own;
  if (!regionCovers(own, asked)) throw problems.forbidden(`your key covers region ${own}; ${asked} is outside it`);
  return asked;
}

export async function statistics(deps: AppDeps, principal: Principal | null, q: StatsQuery): Promise<Statistics> {
  const p = requireRole(principal, ["regulator", "admin"]);
  const region = regionFor(p, q.region);
  const today = chinaDate(deps.clock());
  const to = q.to ?? monthStart(today, -1);
  const from = q.from ?? monthStart(today, 11);
  if (from >= to) throw problems.validation([{ path: "query.from", message: `must be before to (${to})` }]);
  if (monthsBetween(from, to).length > 60) throw problems.validation([{ path: "query.to", message: "the period may span at most 60 months" }]);
  const like = `${region === null ? "" : regionPrefix(region)}%`;
  // Raw statements pass instants as text with a cast: postgres.js does not serialise a Date without a column type.
  const start = sql`${chinaMidnight(from).toISOString()}::timestamptz`;
  const end = sql`${chinaMidnight(to).toISOString()}::timestamptz`;

  const hasReceipts = await tableExists(deps, "market_receipts");
  const [certs, receipts, tests, recallCounts, caseCounts] = await Promise.all([
    grouped(deps, sql`
      SELECT ${MONTH("c.issued_at")} AS month, count(*) AS issued, count(DISTINCT c.party_id) AS parties
      FROM certificates c JOIN parties p ON p.id = c.party_id
      WHERE p.region_code LIKE ${like} AND c.issued_at >= ${start} AND c.issued_at < ${end} GROUP BY 1`),
    hasReceipts
      ? grouped(deps, sql`
          SELECT ${MONTH("r.received_at")} AS month, count(*) AS total, count(*) FILTER (WHERE r.certificate_id IS NOT NULL) AS certified
          FROM market_receipts r JOIN parties m ON m.id = r.market_id
          WHERE m.region_code LIKE ${like} AND r.received_at >= ${start} AND r.received_at < ${end} GROUP BY 1`)
      : Promise.resolve(null),
    // Rapid tests are the field methods (enzyme inhibition, colloidal gold) whoever ran them; sampling is 监督抽检.
    grouped(deps, sql`
      SELECT ${MONTH("t.tested_at")} AS month,
             count(*) FILTER (WHERE t.method IN ('enzyme_inhibition', 'colloidal_gold')) AS rapid,
             count(*) FILTER (WHERE t.method IN ('enzyme_inhibition', 'colloidal_gold') AND t.verdict = 'fail') AS rapid_positive,
             count(*) FILTER (WHERE t.kind = 'official_sampling') AS sampling,
             count(*) FILTER (WHERE t.kind = 'official_sampling' AND t.verdict = 'fail') AS sampling_failed
      FROM lot_tests t JOIN parties p ON p.id = t.lot_party_id
      WHERE p.region_code LIKE ${like} AND t.tested_at >= ${start} AND t.tested_at < ${end} GROUP BY 1`),
    grouped(deps, sql`
      SELECT ${MONTH("r.recalled_at")} AS month, count(*) AS recalls
      FROM recalls r WHERE r.region_code LIKE ${like} AND r.recalled_at >= ${start} AND r.recalled_at < ${end} GROUP BY 1`),
    grouped(deps, sql`
      SELECT ${MONTH("c.opened_at")} AS month, count(*) AS opened,
             ${sql.join(CASE_STAGES.map((s) => sql`count(*) FILTER (WHERE c.stage = ${s}) AS ${sql.identifier(`stage_${s}`)}`), sql`, `)},
             count(*) FILTER (WHERE c.stage <> 'open') AS verified,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = c.id AND s.step = 'file')) AS filed,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = c.id AND s.step = 'penalize')) AS penalized,
             count(*) FILTER (WHERE c.stage = 'closed') AS closed
      FROM cases c WHERE c.region_code LIKE ${like} AND c.opened_at >= ${start} AND c.opened_at < ${end} GROUP BY 1`),
  ]);

  const months = monthsBetween(from, to).map((month) => figures(month, certs.get(month), receipts === null ? null : (receipts.get(month) ?? {}), tests.get(month), recallCounts.get(month), caseCounts.get(month)));
  const sum = (pick: (m: MonthFigures) => number) => months.reduce((a, m) => a + pick(m), 0);
  const caseTotals = { cases: sum((m) => m.cases.rates.cases), verified: sum((m) => m.cases.rates.verified), filed: sum((m) => m.cases.rates.filed), penalized: sum((m) => m.cases.rates.penalized), closed: sum((m) => m.cases.rates.closed) };
  // Distinct issuing parties over the whole period are not the sum of the months' (a party issues every month).
  const [period] = rowsOf<{ parties: number }>(
    await deps.db.execute(sql`SELECT count(DISTINCT c.party_id)::int AS parties FROM certificates c JOIN parties p ON p.id = c.party_id
      WHERE p.region_code LIKE ${like} AND c.issued_at >= ${start} AND c.issued_at < ${end}`),
  );
  const receiptTotal = receipts === null ? null : { total: sum((m) => m.marketReceipts?.total ?? 0), withCertificate: sum((m) => m.marketReceipts?.withCertificate ?? 0) };
  const rapid = { total: sum((m) => m.rapidTests.total), positive: sum((m) => m.rapidTests.positive) };
  const sampling = { total: sum((m) => m.sampling.total), failed: sum((m) => m.sampling.failed) };
  return {
    region: { code: region, name: region === null ? null : regionName(region) },
    from,
    to,
    groupBy: "month",
    months,
    totals: {
      certificates: { issued: sum((m) => m.certificates.issued), issuingParties: Number(period?.parties ?? 0) },
      marketReceipts: receiptTotal === null ? null : { ...receiptTotal, share: share(receiptTotal.withCertificate, receiptTotal.total) },
      rapidTests: { ...rapid, positiveShare: share(rapid.positive, rapid.total) },
      sampling: { ...sampling, failureShare: share(sampling.failed, sampling.total) },
      recalls: sum((m) => m.recalls),
      cases: {
        opened: caseTotals.cases,
        byStage: Object.fromEntries(CASE_STAGES.map((s) => [s, sum((m) => m.cases.byStage[s])])) as Record<CaseStage, number>,
        rates: ratesFromCounts(caseTotals),
      },
    },
  };
}

function figures(
  month: string,
  c: Record<string, number> | undefined,
  r: Record<string, number> | null,
  t: Record<string, number> | undefined,
  rc: Record<string, number> | undefined,
  cs: Record<string, number> | undefined,
): MonthFigures {
  const n = (o: Record<string, number> | null | undefined, k: string) => o?.[k] ?? 0;
  return {
    month,
    certificates: { issued: n(c, "issued"), issuingParties: n(c, "parties") },
    marketReceipts: r === null ? null : { total: n(r, "total"), withCertificate: n(r, "certified"), share: share(n(r, "certified"), n(r, "total")) },
    rapidTests: { total: n(t, "rapid"), positive: n(t, "rapid_positive"), positiveShare: share(n(t, "rapid_positive"), n(t, "rapid")) },
    sampling: { total: n(t, "sampling"), failed: n(t, "sampling_failed"), failureShare: share(n(t, "sampling_failed"), n(t, "sampling")) },
    recalls: n(rc, "recalls"),
    cases: {
      opened: n(cs, "opened"),
      byStage: Object.fromEntries(CASE_STAGES.map((s) => [s, n(cs, `stage_${s}`)])) as Record<CaseStage, number>,
      rates: ratesFromCounts({ cases: n(cs, "opened"), verified: n(cs, "verified"), filed: n(cs, "filed"), penalized: n(cs, "penalized"), closed: n(cs, "closed") }),
    },
  };
}
