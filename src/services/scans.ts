import type DataLoader from "dataloader";
import { eq, sql } from "drizzle-orm";
import { batchLoader, loaderFor, textArray } from "../db/batch";
import type { Database } from "../db/client";
import type { AppDeps } from "../deps";
import { scanFlags } from "../db/schema";
import { uuidv7 } from "../domain/ids";
import {
  copiedCodeFindings,
  type CopiedCodeFinding,
  type CopiedCodeRules,
  DEFAULT_COPIED_CODE_RULES,
  placeLabel,
  type ScanAgent,
  type ScanFlagKind,
  type ScanPlace,
} from "../domain/scans";
import { type MarketFlagKind, quantityExceededWarning } from "../domain/market/receipt-rules";
import { openCaseForScanFlag } from "./cases";
import { rowsOf } from "../db/rows";

export interface ScanInput {
  /** Canonical certificate code; a code nobody issued records nothing. */
  code: string;
  at: Date;
  place: ScanPlace;
  agent: ScanAgent;
  /** The visitor's daily id (http/client-id.ts), or null when the client's address is unknown. */
  client: string | null;
}

/** Recent located scans the travel rule looks at per certificate: a copy in use shows up within a few scans. */
const RECENT_SCANS = 50;

type Deps = Pick<AppDeps, "db" | "clock" | "randomBytes" | "onCertificateChanged">;

/**
 * Stores scans and checks the certificates they name for signs of a copied code. One statement stores the batch,
 * adds the people's scans to each certificate's running total and reports the flags already raised; the rule's
 * inputs are read only for certificates where a new flag is possible (a located scan arrived and travel is not yet
 * flagged, or the total passed the floor and volume is not yet flagged), so a flagged or quiet code costs nothing
 * more. A new finding stores a flag and opens a case for the issuer's district in one transaction; each kind is
 * raised once per certificate (a unique index settles races between concurrent checks).
 */
export async function recordScans(deps: Deps, inputs: readonly ScanInput[], rules: CopiedCodeRules = DEFAULT_COPIED_CODE_RULES): Promise<void> {
  if (inputs.length === 0) return;
  // One JSON parameter whatever the batch size, so the statement's text never changes and is planned once.
  const rows = JSON.stringify(
    inputs.map((s) => ({
      id: uuidv7(s.at, deps.randomBytes),
      code: s.code,
      at: s.at.toISOString(),
      country: s.place.country,
      region: s.place.region,
      city: s.place.city,
      lat: s.place.lat,
      lon: s.place.lon,
      agent: s.agent,
      client: s.client,
    })),
  );
  const totals = rowsOf<{ certificate_id: string; code: string; people: number; visits: number; flagged: ScanFlagKind[] }>(
    await deps.db.execute(sql`
      WITH v AS (
        SELECT * FROM jsonb_to_recordset(${rows}::jsonb)
          AS v(id text, code text, at timestamptz, country text, region text, city text, lat float8, lon float8, agent text, client text)
      ),
      ins AS (
        INSERT INTO scans (id, certificate_id, scanned_at, country, region, city, lat, lon, agent, client)
        SELECT v.id, c.id, v.at, v.country, v.region, v.city, v.lat, v.lon, v.agent, v.client FROM v JOIN certificates c ON c.code = v.code
        RETURNING certificate_id, agent, client, country, region, city
      ),
      -- In key order, as the totals below; an unknown name is '' in the key.
      placed AS (
        INSERT INTO scan_places AS p (certificate_id, country, region, city, people)
        SELECT certificate_id, coalesce(country, ''), coalesce(region, ''), coalesce(city, ''), count(*)
        FROM ins WHERE agent <> 'bot' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (certificate_id, country, region, city) DO UPDATE SET people = p.people + excluded.people
      ),
      -- A visitor's first scan of a certificate (that day) is a new visit; scans of unknown clients each are one.
      met AS (
        INSERT INTO scan_visitors (certificate_id, client)
        SELECT DISTINCT certificate_id, client FROM ins WHERE agent <> 'bot' AND client IS NOT NULL ORDER BY 1, 2
        ON CONFLICT DO NOTHING
        RETURNING certificate_id
      ),
      -- Rows are upserted in key order, so two batches touching the same certificates lock them in the same order.
      tot AS (
        INSERT INTO scan_totals AS t (certificate_id, people, visits)
        SELECT i.certificate_id, count(*) FILTER (WHERE i.agent <> 'bot'),
          count(*) FILTER (WHERE i.agent <> 'bot' AND i.client IS NULL) + (SELECT count(*) FROM met WHERE met.certificate_id = i.certificate_id)
        FROM ins i GROUP BY i.certificate_id ORDER BY i.certificate_id
        ON CONFLICT (certificate_id) DO UPDATE SET people = t.people + excluded.people, visits = t.visits + excluded.visits
        RETURNING certificate_id, people, visits
      )
      SELECT tot.certificate_id, c.code, tot.people, tot.visits,
        coalesce((SELECT array_agg(f.kind) FROM scan_flags f WHERE f.certificate_id = tot.certificate_id), '{}') AS flagged
      FROM tot JOIN certificates c ON c.id = tot.certificate_id`),
  );
  const byPeople = inputs.filter((s) => s.agent !== "bot");
  const located = new Set(byPeople.filter((s) => s.place.lat !== null && s.place.lon !== null).map((s) => s.code));
  const regioned = new Set(byPeople.filter((s) => s.place.region !== null).map((s) => s.code));
  const worth = totals.filter(
    (t) =>
      (!t.flagged.includes("impossible_travel") && located.has(t.code)) ||
      (!t.flagged.includes("many_regions") && regioned.has(t.code) && Number(t.people) > rules.maxRegions * rules.minScansPerRegion) ||
      (!t.flagged.includes("excess_scans") && Number(t.visits) > rules.minScans),
  );
  if (worth.length > 0) await checkCopiedCodes(deps, worth.map((t) => t.certificate_id), rules);
}

/** A JSON column as postgres.js or PGlite hands it over: parsed already, or as its text. */
const json = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

/** A scan_places key's place for listing; '' is how the key holds a name that was not known. */
export function placeOfKey(key: { country: string; region: string; city: string }): string | null {
  const known = (name: string) => (name === "" ? null : name);
  return placeLabel({ country: known(key.country), region: known(key.region), city: known(key.city) });
}

interface RuleInputRow {
  id: string;
  code: string;
  lot_id: string;
  copies: number;
  quantity: string | number;
  unit: string;
  region_code: string;
  visits: number;
  flagged: ScanFlagKind[];
  recent: { at: string; lat: number; lon: number; country: string | null; region: string | null; city: string | null }[] | string;
  regions: [string, string, number][] | string;
}

async function checkCopiedCodes(deps: Deps, certificateIds: readonly string[], rules: CopiedCodeRules): Promise<void> {
  const rows = rowsOf<RuleInputRow>(
    await deps.db.execute(sql`
      SELECT c.id, c.code, c.lot_id, c.copies, c.quantity, c.unit, p.region_code, coalesce(t.visits, 0) AS visits,
        coalesce((SELECT array_agg(f.kind) FROM scan_flags f WHERE f.certificate_id = c.id), '{}') AS flagged,
        coalesce((
          SELECT json_agg(json_build_object('at', r.scanned_at, 'lat', r.lat, 'lon', r.lon, 'country', r.country, 'region', r.region, 'city', r.city))
          FROM (
            SELECT s.scanned_at, s.lat, s.lon, s.country, s.region, s.city FROM scans s
            WHERE s.certificate_id = c.id AND s.agent <> 'bot' AND s.lat IS NOT NULL
            ORDER BY s.scanned_at DESC LIMIT ${RECENT_SCANS}
          ) r
        ), '[]'::json) AS recent,
        coalesce((
          SELECT json_agg(json_build_array(r.country, r.region, r.n))
          FROM (SELECT p.country, p.region, sum(p.people)::int AS n FROM scan_places p
                WHERE p.certificate_id = c.id AND p.region <> '' GROUP BY p.country, p.region) r
        ), '[]'::json) AS regions
      FROM certificates c
      JOIN lots l ON l.id = c.lot_id
      JOIN parties p ON p.id = l.party_id
      LEFT JOIN scan_totals t ON t.certificate_id = c.id
      WHERE c.id = ANY(${textArray(certificateIds)}::text[])`),
  );
  for (const row of rows) {
    const recent = json(row.recent);
    const findings = copiedCodeFindings(
      {
        scans: recent.map((r) => ({ at: new Date(r.at), lat: r.lat, lon: r.lon, place: placeLabel(r) })),
        visits: Number(row.visits),
        regions: json(row.regions).map(([country, region, n]) => ({ place: placeOfKey({ country, region, city: "" })!, scans: Number(n) })),
        copies: row.copies,
        quantity: { amount: Number(row.quantity), unit: row.unit },
      },
      rules,
    ).filter((f) => !row.flagged.includes(f.kind));
    for (const finding of findings) await raiseFlag(deps, { id: row.id, code: row.code, lotId: row.lot_id, regionCode: row.region_code }, finding);
  }
}

async function raiseFlag(
  deps: Deps,
  cert: { id: string; code: string; lotId: string; regionCode: string },
  finding: CopiedCodeFinding,
): Promise<void> {
  const now = deps.clock();
  const flagId = uuidv7(now, deps.randomBytes);
  const { kind, ...detail } = finding;
  await deps.db.transaction(async (tx) => {
    const stored = await tx
      .insert(scanFlags)
      .values({ id: flagId, certificateId: cert.id, kind, regionCode: cert.regionCode, detail, caseId: null, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: scanFlags.id });
    // Another check raised this flag meanwhile; its transaction opens the case.
    if (stored.length === 0) return;
    const opened = await openCaseForScanFlag(deps, tx, { flagId, lotId: cert.lotId, regionCode: cert.regionCode, summary: `扫码异常（${cert.code}）：${finding.messageZh}` });
    await tx.update(scanFlags).set({ caseId: opened.id }).where(eq(scanFlags.id, flagId));
  });
  // The page shows the warning: cached copies of it must go.
  await deps.onCertificateChanged?.(cert.code);
}

export interface ScanSummary {
  /** Scans by people (bots left out), this one included when it was recorded before the page was built. */
  total: number;
  /** The most frequent places; `place` is null for scans whose place was not known. */
  places: { place: string | null; count: number }[];
  /** Scans at places other than those listed (the total less what `places` counts). */
  elsewhere: number;
  /** Copied-code warnings: those the scans raised, and markets offered more goods under the code than it had left. */
  flags: { kind: ScanFlagKind | MarketFlagKind; raisedAt: string; message: string; messageZh: string }[];
}

const PLACES_SHOWN = 8;

interface SummaryRow {
  code: string;
  people: number | null;
  places: [string | null, string | null, string | null, number][] | string;
  flags: { kind: ScanFlagKind; created_at: string; detail: Record<string, unknown> }[] | string;
  /** Receipts refused at market gates for more than the certificate had left: how many, the first, the latest's detail. */
  over: { times: number; first: string; latest: { requested: number; remaining: number; unit: string } } | string | null;
}

async function loadSummaries(deps: Pick<AppDeps, "db">, codes: readonly string[]): Promise<ScanSummary[]> {
  // Both the running total and the places are kept as scans are stored: the most frequent places, first by count.
  const rows = rowsOf<SummaryRow>(
    await deps.db.execute(sql`
      SELECT c.code, t.people,
        coalesce((SELECT json_agg(json_build_array(p.country, p.region, p.city, p.people)
                    ORDER BY p.people DESC, p.country NULLS LAST, p.region NULLS LAST, p.city NULLS LAST)
                  FROM (SELECT nullif(p.country, '') AS country, nullif(p.region, '') AS region, nullif(p.city, '') AS city, p.people
                        FROM scan_places p WHERE p.certificate_id = c.id
                        ORDER BY p.people DESC, 1 NULLS LAST, 2 NULLS LAST, 3 NULLS LAST LIMIT ${PLACES_SHOWN}) p), '[]'::json) AS places,
        coalesce((SELECT json_agg(json_build_object('kind', f.kind, 'created_at', f.created_at, 'detail', f.detail) ORDER BY f.created_at)
                  FROM scan_flags f WHERE f.certificate_id = c.id), '[]'::json) AS flags,
        (SELECT json_build_object('times', count(*), 'first', min(m.created_at), 'latest', (array_agg(m.detail ORDER BY m.created_at DESC, m.id DESC))[1])
         FROM market_flags m WHERE m.certificate_id = c.id AND m.kind = 'quantity_exceeded' HAVING count(*) > 0) AS over
      FROM certificates c LEFT JOIN scan_totals t ON t.certificate_id = c.id
      WHERE c.code = ANY(${textArray(codes)}::text[])`),
  );
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return codes.map((code) => {
    const row = byCode.get(code);
    const shown = row === undefined ? [] : json(row.places).map(([country, region, city, n]) => ({ country, region, city, n: Number(n) }));
    const flags = row === undefined ? [] : json(row.flags);
    const total = Number(row?.people ?? 0);
    return {
      total,
      places: shown.map((p) => ({ place: placeLabel(p), count: p.n })),
      elsewhere: total - shown.reduce((n, p) => n + p.n, 0),
      flags: [...flags.map(scanFlagView), ...(row?.over == null ? [] : [overReceiptView(json(row.over))])].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt)),
    };
  });
}

function scanFlagView(f: Exclude<SummaryRow["flags"], string>[number]): ScanSummary["flags"][number] {
  return { kind: f.kind, raisedAt: new Date(f.created_at).toISOString(), message: String(f.detail["message"] ?? ""), messageZh: String(f.detail["messageZh"] ?? "") };
}

function overReceiptView(over: Exclude<SummaryRow["over"], string | null>): ScanSummary["flags"][number] {
  const latest = { requested: Number(over.latest.requested), remaining: Number(over.latest.remaining), unit: String(over.latest.unit) };
  return { kind: "quantity_exceeded", raisedAt: new Date(over.first).toISOString(), ...quantityExceededWarning(latest, Number(over.times)) };
}

const summaryLoaders = new WeakMap<Database, DataLoader<string, ScanSummary>>();

/**
 * What the scan page shows: how often and where the code was scanned, and any copied-code warning. Read from the
 * running totals, so a popular code costs no more than a new one; codes asked for in the same turn share a statement.
 */
export function scanSummary(deps: Pick<AppDeps, "db">, code: string): Promise<ScanSummary> {
  return loaderFor(summaryLoaders, deps.db, () => batchLoader<string, ScanSummary>((codes) => loadSummaries(deps, codes))).load(code);
}
