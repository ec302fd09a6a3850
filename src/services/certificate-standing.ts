import type DataLoader from "dataloader";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { batchLoader, loaderFor, textArray } from "../db/batch";
import type { Database } from "../db/client";
import type { AppDeps } from "../deps";
import type { CertificateContent } from "../domain/certificate";
import { chinaDate } from "../domain/ids";
import { effectiveStatus, inheritedTroubles, type InheritedTrouble, type Trouble, type TreeNode } from "../domain/upstream/inheritance";
import { MAX_UPSTREAM_DEPTH, type UpstreamKind } from "../domain/upstream/references";
import type { CertificateRow } from "./certificates";
import { rowsOf } from "../db/rows";
import { type LotFailure, lotFailuresOf, type TestForStanding } from "./lab-tests";
import { type ActiveRecall, LINEAGE_DEPTH } from "./recall";
import type { StoredLeaf } from "./transparency-log";

/**
 * Everything verify needs to know about a certificate beyond its signature, read in one statement: the row, its
 * signing key, its issue leaf in the transparency log, what markets received and buyers claimed of it, its open
 * cold-chain excursions, and — for it and every certificate upstream of it (depth-capped) — the lot lineage's
 * active recalls and failing tests and the upstream entries themselves. Codes looked up in the same event-loop turn share that statement.
 */

export interface CertificateTroubles {
  revoked: { at: string; reason: string | null } | null;
  recalls: ActiveRecall[];
  failures: LotFailure[];
}

/** One entry of the upstream tree, as verify answers it. */
export type UpstreamNode =
  | {
      kind: "certificate";
      code: string;
      /** Claimed from it by the certificate above, as the buyer entered it. */
      quantity: { amount: number; unit: string };
      certificateQuantity: { amount: number; unit: string };
      product: { name: string; category: string };
      issuer: { name: string; creditCode: string | null; regionCode: string; regionName: string | null };
      issueDate: string;
      templateVersion: string;
      /** Its own status with everything upstream of it counted. */
      status: "valid" | Trouble;
      /** True when the depth cap stopped the walk before its own upstream entries. */
      truncated: boolean;
      upstream: UpstreamNode[];
    }
  | { kind: "other_platform"; platform: string; code: string; quantity: { amount: number; unit: string }; status: "unverified" }
  | { kind: "paper"; number: string; quantity: { amount: number; unit: string }; photoId: string; status: "unverified" };

export interface CertificateStanding {
  row: CertificateRow;
  key: { alg: string; publicJwk: object } | null;
  /** The certificate's own lot lineage (itself and its ancestors). */
  lineageLotIds: string[];
  recalls: ActiveRecall[];
  failures: LotFailure[];
  /** Upstream certificates (any depth within the cap) that are revoked, recalled or failed, with what is wrong. */
  inherited: (InheritedTrouble & CertificateTroubles)[];
  upstream: UpstreamNode[];
  received: number;
  claimed: number;
  openExcursions: number;
  /** The transparency log's record of the certificate's issue; null when the log has none. */
  issueLeaf: StoredLeaf | null;
  /** The lot's storage range and newest temperature reading, for the gate's handover check; null without readings. */
  lastReading: { product: { category: string; storageMinC: number | null; storageMaxC: number | null }; at: string; celsius: number } | null;
}

interface MemberJson {
  root: string;
  id: string;
  depth: number;
  code: string;
  status: "valid" | "revoked";
  revoked_at: string | null;
  revoke_reason: string | null;
  lot_id: string;
  quantity: number;
  unit: string;
  template_version: string;
  content: Pick<CertificateContent, "product" | "issuer" | "origin" | "issueDate">;
  full: Record<string, unknown> | null;
  key: { alg: string; public_jwk: object } | null;
  received: number | null;
  claimed: number | null;
  open_excursions: number | null;
  issue_leaf: { idx: number | string; type: string; data: string; hash: string; at: string } | null;
  handover: { category: string; min_c: number | null; max_c: number | null; at: string; celsius: number } | null;
}

interface EdgeJson {
  certificate_id: string;
  position: number;
  kind: UpstreamKind;
  upstream_certificate_id: string | null;
  quantity: number;
  unit: string;
  platform: string | null;
  external_code: string | null;
  paper_number: string | null;
  photo_id: string | null;
}

interface TestJson {
  id: string;
  lot_id: string;
  kind: TestForStanding["kind"];
  method: TestForStanding["method"];
  tested_at: string;
  lab: string | null;
  report_no: string | null;
  record: TestForStanding["record"];
  analyte_verdicts: TestForStanding["analyteVerdicts"];
}

export function standingQuery(codes: readonly string[]) {
  return sql`
    WITH RECURSIVE
    roots AS (SELECT c.id FROM certificates c WHERE c.code = ANY(${textArray(codes)}::text[])),
    tree(root, id, depth) AS (
      SELECT id, id, 0 FROM roots
      UNION
      SELECT t.root, u.upstream_certificate_id, t.depth + 1
      FROM tree t JOIN certificate_upstream u ON u.certificate_id = t.id
      WHERE u.upstream_certificate_id IS NOT NULL AND t.depth < ${MAX_UPSTREAM_DEPTH}
    ),
    members AS (SELECT root, id, min(depth) AS depth FROM tree GROUP BY root, id),
    nodes AS (SELECT id, min(depth) AS depth FROM members GROUP BY id),
    -- Members' rows are read by key (OFFSET 0 keeps the lookup a subquery): with few certificates the generic plan
    -- would rather hash the whole table, wide rows and all, for the one or two a scan needs.
    up(cert_id, lot_id, depth) AS (
      SELECT n.id, c.lot_id, 0 FROM nodes n CROSS JOIN LATERAL (SELECT lot_id FROM certificates WHERE id = n.id OFFSET 0) c
      UNION
      SELECT u.cert_id, l.parent_lot_id, u.depth + 1 FROM up u JOIN lot_links l ON l.child_lot_id = u.lot_id WHERE u.depth < ${LINEAGE_DEPTH}
    ),
    lineage AS (SELECT DISTINCT cert_id, lot_id FROM up),
    lineage_lots AS (SELECT DISTINCT lot_id FROM lineage)
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
          'root', m.root, 'id', c.id, 'depth', m.depth, 'code', c.code, 'status', c.status, 'revoked_at', c.revoked_at,
          'revoke_reason', c.revoke_reason, 'lot_id', c.lot_id, 'quantity', c.quantity, 'unit', c.unit, 'template_version', c.template_version,
          'content', json_build_object('product', c.content->'product', 'issuer', c.content->'issuer', 'origin', c.content->'origin', 'issueDate', c.content->'issueDate'),
          'full', CASE WHEN m.depth = 0 THEN row_to_json(c) END,
          'key', CASE WHEN m.depth = 0 THEN (SELECT json_build_object('alg', k.alg, 'public_jwk', k.public_jwk) FROM signing_keys k WHERE k.kid = c.kid) END,
          'received', CASE WHEN m.depth = 0 THEN (SELECT r.received_quantity FROM certificate_receipts r WHERE r.certificate_id = c.id) END,
          'claimed', CASE WHEN m.depth = 0 THEN (SELECT k.claimed_quantity FROM certificate_claims k WHERE k.certificate_id = c.id) END,
          'issue_leaf', CASE WHEN m.depth = 0 THEN (
            SELECT json_build_object('idx', l.idx, 'type', l.type, 'data', l.data, 'hash', encode(l.leaf_hash, 'hex'), 'at', l.at)
            FROM log_leaves l WHERE l.certificate_code = c.code AND l.type = 'certificate.issued' ORDER BY l.idx LIMIT 1) END,
          'open_excursions', CASE WHEN m.depth = 0 THEN
            (SELECT count(*) FROM cold_chain_excursions e WHERE e.lot_id = c.lot_id AND e.status = 'open') END,
          -- What the gate's handover check needs: the lot's storage range and its newest reading from any logger.
          'handover', CASE WHEN m.depth = 0 THEN (
            SELECT json_build_object('category', p.category, 'min_c', p.storage_min_c, 'max_c', p.storage_max_c, 'at', last.at, 'celsius', last.celsius)
            FROM lots l JOIN products p ON p.id = l.product_id
            CROSS JOIN LATERAL (
              SELECT r.at, r.celsius FROM cold_chain_streams s
              CROSS JOIN LATERAL (SELECT at, celsius FROM cold_chain_readings WHERE stream_id = s.id ORDER BY at DESC LIMIT 1) r
              WHERE s.lot_id = l.id ORDER BY r.at DESC, r.celsius DESC LIMIT 1
            ) last
            WHERE l.id = c.lot_id) END
        )), '[]') FROM members m CROSS JOIN LATERAL (SELECT * FROM certificates WHERE id = m.id OFFSET 0) c)::text AS members,
      (SELECT coalesce(json_agg(row_to_json(u) ORDER BY u.certificate_id, u.position), '[]')
       FROM certificate_upstream u JOIN nodes n ON n.id = u.certificate_id WHERE n.depth < ${MAX_UPSTREAM_DEPTH})::text AS edges,
      (SELECT coalesce(json_agg(json_build_array(cert_id, lot_id)), '[]') FROM lineage)::text AS lineage,
      (SELECT coalesce(json_agg(json_build_object('recall_id', r.id, 'lot_id', r.lot_id, 'reason', r.reason, 'recalled_at', r.recalled_at)
         ORDER BY r.recalled_at, r.id), '[]')
       FROM recalls r JOIN lineage_lots g ON g.lot_id = r.lot_id WHERE r.status = 'active')::text AS recalls,
      (SELECT coalesce(json_agg(json_build_object('id', t.id, 'lot_id', t.lot_id, 'kind', t.kind, 'method', t.method, 'tested_at', t.tested_at,
         'lab', t.lab, 'report_no', t.report_no, 'record', t.record, 'analyte_verdicts', t.analyte_verdicts) ORDER BY t.tested_at, t.id), '[]')
       FROM lot_tests t JOIN lineage_lots g ON g.lot_id = t.lot_id
       WHERE EXISTS (SELECT 1 FROM lot_tests f WHERE f.lot_id = t.lot_id AND f.verdict = 'fail'))::text AS tests`;
}

const dialect = new PgDialect();

const iso = (at: string | null) => (at === null ? null : new Date(at).toISOString());

/** The certificates row as drizzle would have read it, from its row_to_json form. */
function certificateRow(full: Record<string, unknown>): CertificateRow {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: full["id"] as string,
    code: full["code"] as string,
    partyId: full["party_id"] as string,
    lotId: full["lot_id"] as string,
    templateVersion: full["template_version"] as CertificateRow["templateVersion"],
    basis: full["basis"] as CertificateRow["basis"],
    quantity: Number(full["quantity"]),
    unit: full["unit"] as string,
    lotQuantity: Number(full["lot_quantity"]),
    copies: Number(full["copies"]),
    content: full["content"] as CertificateContent,
    jwt: full["jwt"] as string,
    kid: full["kid"] as string,
    status: full["status"] as CertificateRow["status"],
    revokedAt: date(full["revoked_at"]),
    revokeReason: (full["revoke_reason"] as string | null) ?? null,
    revokedBy: (full["revoked_by"] as string | null) ?? null,
    idempotencyKey: (full["idempotency_key"] as string | null) ?? null,
    issuedAt: date(full["issued_at"])!,
    statusList: (full["status_list"] as number | null) ?? null,
    statusIndex: (full["status_index"] as number | null) ?? null,
  };
}

async function loadStandings(deps: AppDeps, codes: readonly string[]): Promise<(CertificateStanding | null)[]> {
  // Prepared: the text never changes (codes and caps are parameters), so PostgreSQL plans it once per connection
  // instead of on every batch (planning it measured about half the cost of running it).
  const query = dialect.sqlToQuery(standingQuery([...new Set(codes)]));
  const result = await deps.db._.session.prepareQuery(query, undefined, "certificate_standing", false).execute();
  const [raw] = rowsOf<{ members: string; edges: string; lineage: string; recalls: string; tests: string }>(result);
  const members = JSON.parse(raw?.members ?? "[]") as MemberJson[];
  const edges = JSON.parse(raw?.edges ?? "[]") as EdgeJson[];
  const lineage = JSON.parse(raw?.lineage ?? "[]") as [string, string][];
  const recallRows = JSON.parse(raw?.recalls ?? "[]") as { recall_id: string; lot_id: string; reason: string; recalled_at: string }[];
  const tests = JSON.parse(raw?.tests ?? "[]") as TestJson[];

  const failedByLot = await lotFailuresOf(
    deps,
    tests.map((t) => ({
      id: t.id,
      lotId: t.lot_id,
      kind: t.kind,
      method: t.method,
      testedAt: new Date(t.tested_at),
      lab: t.lab,
      reportNo: t.report_no,
      record: t.record,
      analyteVerdicts: t.analyte_verdicts,
    })),
  );
  const recallsByLot = new Map<string, ActiveRecall[]>();
  for (const r of recallRows) {
    const list = recallsByLot.get(r.lot_id) ?? [];
    list.push({ recallId: r.recall_id, recalledLotId: r.lot_id, reason: r.reason, recalledAt: new Date(r.recalled_at).toISOString() });
    recallsByLot.set(r.lot_id, list);
  }
  const lotsOf = new Map<string, string[]>();
  for (const [certId, lotId] of lineage) lotsOf.set(certId, [...(lotsOf.get(certId) ?? []), lotId]);

  const byId = new Map<string, MemberJson>();
  for (const m of members) if (!byId.has(m.id) || m.depth === 0) byId.set(m.id, m);
  const troubles = new Map<string, CertificateTroubles>();
  const troublesOf = (id: string): CertificateTroubles => {
    const known = troubles.get(id);
    if (known !== undefined) return known;
    const m = byId.get(id)!;
    const lotIds = lotsOf.get(id) ?? [m.lot_id];
    const found: CertificateTroubles = {
      revoked: m.status === "revoked" ? { at: iso(m.revoked_at)!, reason: m.revoke_reason } : null,
      recalls: lotIds.flatMap((l) => recallsByLot.get(l) ?? []).sort((a, b) => a.recalledAt.localeCompare(b.recalledAt)),
      failures: lotIds.flatMap((l) => failedByLot.get(l) ?? []),
    };
    troubles.set(id, found);
    return found;
  };
  const ownTroubles = (t: CertificateTroubles): Trouble[] => [
    ...(t.recalls.length > 0 ? (["recalled"] as const) : []),
    ...(t.failures.length > 0 ? (["failed_test"] as const) : []),
    ...(t.revoked !== null ? (["revoked"] as const) : []),
  ];
  const edgesOf = new Map<string, EdgeJson[]>();
  for (const e of edges) edgesOf.set(e.certificate_id, [...(edgesOf.get(e.certificate_id) ?? []), e]);
  const treeNodes = new Map<string, TreeNode>();
  for (const [id, m] of byId) {
    treeNodes.set(id, {
      code: m.code,
      troubles: ownTroubles(troublesOf(id)),
      upstream: (edgesOf.get(id) ?? []).flatMap((e) => (e.upstream_certificate_id === null ? [] : [e.upstream_certificate_id])),
    });
  }

  const statusMemo = new Map<string, "valid" | Trouble>();
  const statusOf = (id: string): "valid" | Trouble => {
    let s = statusMemo.get(id);
    if (s === undefined) {
      s = effectiveStatus(treeNodes.get(id)!.troubles, inheritedTroubles(id, treeNodes, MAX_UPSTREAM_DEPTH));
      statusMemo.set(id, s);
    }
    return s;
  };
  const build = (id: string, depth: number): UpstreamNode[] =>
    (edgesOf.get(id) ?? []).map((e): UpstreamNode => {
      const quantity = { amount: Number(e.quantity), unit: e.unit };
      if (e.kind === "other_platform") return { kind: "other_platform", platform: e.platform!, code: e.external_code!, quantity, status: "unverified" };
      if (e.kind === "paper") return { kind: "paper", number: e.paper_number!, quantity, photoId: e.photo_id!, status: "unverified" };
      const m = byId.get(e.upstream_certificate_id!)!;
      const deeper = depth + 1 < MAX_UPSTREAM_DEPTH;
      return {
        kind: "certificate",
        code: m.code,
        quantity,
        certificateQuantity: { amount: Number(m.quantity), unit: m.unit },
        product: { name: m.content.product.name, category: m.content.product.category },
        issuer: { name: m.content.issuer.name, creditCode: m.content.issuer.creditCode, regionCode: m.content.origin.regionCode, regionName: m.content.origin.regionName },
        issueDate: m.content.issueDate,
        templateVersion: m.template_version,
        status: statusOf(m.id),
        truncated: !deeper && (edgesOf.get(m.id)?.length ?? 0) > 0,
        upstream: deeper ? build(m.id, depth + 1) : [],
      };
    });

  const idOfCode = new Map([...byId.values()].map((m) => [m.code, m.id]));
  const roots = new Map<string, CertificateStanding>();
  for (const m of members) {
    if (m.depth !== 0 || m.full === null) continue;
    const own = troublesOf(m.id);
    roots.set(m.code, {
      row: certificateRow(m.full),
      key: m.key === null ? null : { alg: m.key.alg, publicJwk: m.key.public_jwk },
      lineageLotIds: lotsOf.get(m.id) ?? [m.lot_id],
      recalls: own.recalls,
      failures: own.failures,
      inherited: inheritedTroubles(m.id, treeNodes, MAX_UPSTREAM_DEPTH).map((t) => ({ ...t, ...troublesOf(idOfCode.get(t.code)!) })),
      upstream: build(m.id, 0),
      received: Number(m.received ?? 0),
      claimed: Number(m.claimed ?? 0),
      openExcursions: Number(m.open_excursions ?? 0),
      issueLeaf:
        m.issue_leaf === null
          ? null
          : {
              index: Number(m.issue_leaf.idx),
              type: m.issue_leaf.type,
              data: m.issue_leaf.data,
              leafHash: new Uint8Array(Buffer.from(m.issue_leaf.hash, "hex")),
              at: new Date(m.issue_leaf.at),
            },
      lastReading:
        m.handover === null
          ? null
          : {
              product: { category: m.handover.category, storageMinC: m.handover.min_c, storageMaxC: m.handover.max_c },
              at: new Date(m.handover.at).toISOString(),
              celsius: Number(m.handover.celsius),
            },
    });
  }
  return codes.map((c) => roots.get(c) ?? null);
}

const loaders = new WeakMap<Database, DataLoader<string, CertificateStanding | null>>();

/** The standing of the certificate with this (normalised) code, or null when none was issued here. */
export function standingByCode(deps: AppDeps, code: string): Promise<CertificateStanding | null> {
  return loaderFor(loaders, deps.db, () => batchLoader<string, CertificateStanding | null>((codes) => loadStandings(deps, codes))).load(code);
}

/**
 * Verify's reasons for inherited troubles, one per upstream certificate: which certificate, how it is reached, and
 * what is wrong with it (the recall, the failed test or the revocation, dated, with its reason).
 */
export function upstreamReasons(inherited: CertificateStanding["inherited"], display: (code: string) => string) {
  return inherited.map((t) => {
    const shown = display(t.code);
    const via = t.path.length > 1 ? ` (via ${t.path.slice(0, -1).map(display).join(" → ")})` : "";
    const base = { code: `upstream_${t.status}`, upstreamCode: t.code, path: t.path, status: t.status };
    if (t.status === "recalled") {
      const r = t.recalls[0]!;
      const date = chinaDate(new Date(r.recalledAt));
      return {
        ...base,
        message: `upstream certificate ${shown}${via} covers goods recalled on ${date}: ${r.reason}`,
        messageZh: `上游合格证 ${shown} 的产品已于 ${date} 召回：${r.reason}`,
        recallId: r.recallId,
        lotId: r.recalledLotId,
        recalledAt: r.recalledAt,
        reason: r.reason,
      };
    }
    if (t.status === "failed_test") {
      const f = t.failures[0]!.failures[0]!;
      const date = chinaDate(new Date(f.testedAt));
      return {
        ...base,
        message: `upstream certificate ${shown}${via} covers goods that failed a test on ${date}: ${f.found.map((a) => a.messageEn).join(" ")}`,
        messageZh: `上游合格证 ${shown} 的产品 ${date} 检测不合格：${f.found.map((a) => a.messageZh).join("")}`,
        lotId: t.failures[0]!.lotId,
        testId: f.testId,
        testedAt: f.testedAt,
      };
    }
    const date = t.revoked?.at.slice(0, 10) ?? "";
    return {
      ...base,
      message: `upstream certificate ${shown}${via} was revoked on ${date}: ${t.revoked?.reason ?? ""}`,
      messageZh: `上游合格证 ${shown} 已于 ${date} 作废：${t.revoked?.reason ?? ""}`,
      revokedAt: t.revoked?.at ?? null,
      reason: t.revoked?.reason ?? null,
    };
  });
}

/**
 * A purge hook that also purges every certificate naming `code` upstream, at any depth within the cap: a buyer's
 * certificate changes status when an upstream one does, so its cached scan page must go too.
 */
export function purgingDownstream(db: Database, purge: (code: string) => Promise<void> | void): (code: string) => Promise<void> {
  return async (code) => {
    const result = await db.execute(sql`
      WITH RECURSIVE down(id, depth) AS (
        SELECT id, 0 FROM certificates WHERE code = ${code}
        UNION
        SELECT u.certificate_id, d.depth + 1 FROM down d JOIN certificate_upstream u ON u.upstream_certificate_id = d.id
        WHERE d.depth < ${MAX_UPSTREAM_DEPTH}
      )
      SELECT DISTINCT c.code FROM down JOIN certificates c ON c.id = down.id`);
    const codes = new Set([code, ...rowsOf<{ code: string }>(result).map((r) => r.code)]);
    for (const c of codes) await purge(c);
  };
}
