import { eq, sql } from "drizzle-orm";
import type { AppDeps } from "../deps";
import { certificates, scanFlags } from "../db/schema";
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
import { openCaseForScanFlag } from "./cases";
import { rowsOf } from "./genealogy";

export interface ScanInput {
  /** Canonical certificate code; a code nobody issued records nothing. */
  code: string;
  at: Date;
  place: ScanPlace;
  agent: ScanAgent;
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
  const values = inputs.map(
    (s) =>
      sql`(${uuidv7(s.at, deps.randomBytes)}, ${s.code}, ${s.at.toISOString()}::timestamptz, ${s.place.country}, ${s.place.region}, ${s.place.city}, ${s.place.lat}::float8, ${s.place.lon}::float8, ${s.agent})`,
  );
  const totals = rowsOf<{ certificate_id: string; code: string; people: number; flagged: ScanFlagKind[] }>(
    await deps.db.execute(sql`
      WITH v(id, code, at, country, region, city, lat, lon, agent) AS (VALUES ${sql.join(values, sql`, `)}),
      ins AS (
        INSERT INTO scans (id, certificate_id, scanned_at, country, region, city, lat, lon, agent)
        SELECT v.id, c.id, v.at, v.country, v.region, v.city, v.lat, v.lon, v.agent FROM v JOIN certificates c ON c.code = v.code
        RETURNING certificate_id, agent
      ),
      tot AS (
        INSERT INTO scan_totals AS t (certificate_id, people)
        SELECT certificate_id, count(*) FILTER (WHERE agent <> 'bot') FROM ins GROUP BY certificate_id
        ON CONFLICT (certificate_id) DO UPDATE SET people = t.people + excluded.people
        RETURNING certificate_id, people
      )
      SELECT tot.certificate_id, c.code, tot.people,
        coalesce((SELECT array_agg(f.kind) FROM scan_flags f WHERE f.certificate_id = tot.certificate_id), '{}') AS flagged
      FROM tot JOIN certificates c ON c.id = tot.certificate_id`),
  );
  const located = new Set(inputs.filter((s) => s.agent !== "bot" && s.place.lat !== null && s.place.lon !== null).map((s) => s.code));
  const worth = totals.filter(
    (t) => (!t.flagged.includes("impossible_travel") && located.has(t.code)) || (!t.flagged.includes("excess_scans") && Number(t.people) > rules.minScans),
  );
  if (worth.length > 0) await checkCopiedCodes(deps, worth.map((t) => t.certificate_id), rules);
}

interface RuleInputRow {
  id: string;
  code: string;
  lot_id: string;
  copies: number;
  quantity: string | number;
  unit: string;
  region_code: string;
  people: number;
  flagged: ScanFlagKind[];
  recent: { at: string; lat: number; lon: number; country: string | null; region: string | null; city: string | null }[] | string;
}

async function checkCopiedCodes(deps: Deps, certificateIds: readonly string[], rules: CopiedCodeRules): Promise<void> {
  const rows = rowsOf<RuleInputRow>(
    await deps.db.execute(sql`
      SELECT c.id, c.code, c.lot_id, c.copies, c.quantity, c.unit, p.region_code, coalesce(t.people, 0) AS people,
        coalesce((SELECT array_agg(f.kind) FROM scan_flags f WHERE f.certificate_id = c.id), '{}') AS flagged,
        coalesce((
          SELECT json_agg(json_build_object('at', r.scanned_at, 'lat', r.lat, 'lon', r.lon, 'country', r.country, 'region', r.region, 'city', r.city))
          FROM (
            SELECT s.scanned_at, s.lat, s.lon, s.country, s.region, s.city FROM scans s
            WHERE s.certificate_id = c.id AND s.agent <> 'bot' AND s.lat IS NOT NULL
            ORDER BY s.scanned_at DESC LIMIT ${RECENT_SCANS}
          ) r
        ), '[]'::json) AS recent
      FROM certificates c
      JOIN lots l ON l.id = c.lot_id
      JOIN parties p ON p.id = l.party_id
      LEFT JOIN scan_totals t ON t.certificate_id = c.id
      WHERE c.id IN (${sql.join(certificateIds.map((id) => sql`${id}`), sql`, `)})`),
  );
  for (const row of rows) {
    const recent = typeof row.recent === "string" ? (JSON.parse(row.recent) as Exclude<RuleInputRow["recent"], string>) : row.recent;
    const findings = copiedCodeFindings(
      {
        scans: recent.map((r) => ({ at: new Date(r.at), lat: r.lat, lon: r.lon, place: placeLabel(r) })),
        totalScans: Number(row.people),
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
  /** Scans from places beyond those listed. */
  elsewhere: number;
  flags: { kind: ScanFlagKind; raisedAt: string; message: string; messageZh: string }[];
}

const PLACES_SHOWN = 8;

/** What the scan page shows: how often and where the code was scanned, and any copied-code warning. */
export async function scanSummary(deps: Pick<AppDeps, "db">, code: string): Promise<ScanSummary> {
  const places = rowsOf<{ country: string | null; region: string | null; city: string | null; n: number }>(
    await deps.db.execute(sql`
      SELECT s.country, s.region, s.city, count(*)::int AS n
      FROM scans s JOIN certificates c ON c.id = s.certificate_id
      WHERE c.code = ${code} AND s.agent <> 'bot'
      GROUP BY s.country, s.region, s.city
      ORDER BY n DESC, s.country NULLS LAST, s.region NULLS LAST, s.city NULLS LAST`),
  );
  const flags = await deps.db
    .select({ kind: scanFlags.kind, createdAt: scanFlags.createdAt, detail: scanFlags.detail })
    .from(scanFlags)
    .innerJoin(certificates, eq(certificates.id, scanFlags.certificateId))
    .where(eq(certificates.code, code))
    .orderBy(scanFlags.createdAt);
  const shown = places.slice(0, PLACES_SHOWN).map((p) => ({ place: placeLabel(p), count: Number(p.n) }));
  const rest = places.slice(PLACES_SHOWN).reduce((n, p) => n + Number(p.n), 0);
  return {
    total: places.reduce((n, p) => n + Number(p.n), 0),
    places: shown,
    elsewhere: rest,
    flags: flags.map((f) => ({
      kind: f.kind,
      raisedAt: f.createdAt.toISOString(),
      message: String(f.detail["message"] ?? ""),
      messageZh: String(f.detail["messageZh"] ?? ""),
    })),
  };
}
