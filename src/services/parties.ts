import { and, asc, eq, gt, like, type SQL } from "drizzle-orm";
import { newKeySecret, hashSecret } from "../auth/api-keys";
import { type Principal, type PartyKind, requireRole, roleOfKind } from "../auth/principal";
import type { AppDeps } from "../deps";
import { uuidv7 } from "../domain/ids";
import { regionCovers, regionPrefix } from "../domain/region";
import { apiKeys, parties } from "../db/schema";
import { problems } from "../http/problem";
import { toPage } from "../http/pagination";

export type PartyRow = typeof parties.$inferSelect;

export interface NewParty {
  kind: PartyKind;
  name: string;
  creditCode?: string | undefined;
  idNumber?: string | undefined;
  contactName?: string | undefined;
  phone: string;
  regionCode: string;
  address?: string | undefined;
}

/** What a viewer may see of a party: ID numbers of natural persons only for regulators and admins. */
export function partyView(row: PartyRow, viewer: Principal | null) {
  const privileged = viewer !== null && (viewer.role === "regulator" || viewer.role === "admin");
  return {
    id: row.id,
    kind: row.kind,
    role: roleOfKind(row.kind),
    name: row.name,
    creditCode: row.creditCode,
    ...(privileged ? { idNumber: row.idNumber } : {}),
    hasIdNumber: row.idNumber !== null,
    contactName: row.contactName,
    phone: row.phone,
    regionCode: row.regionCode,
    address: row.address,
    createdAt: row.createdAt.toISOString(),
  };
}

function assertRegion(principal: Principal, regionCode: string) {
  if (principal.role === "regulator" && (principal.regionCode === null || !regionCovers(principal.regionCode, regionCode))) {
    throw problems.forbidden(`region ${regionCode} is outside your jurisdiction ${principal.regionCode ?? "(none)"}`);
  }
}

export async function createParty(deps: AppDeps, principal: Principal | null, input: NewParty): Promise<PartyRow> {
  const p = requireRole(principal, ["admin", "regulator"]);
  assertRegion(p, input.regionCode);
  if ((input.kind === "enterprise" || input.kind === "cooperative") && input.creditCode === undefined) {
    throw problems.validation([{ path: "creditCode", message: "统一社会信用代码 is required for enterprises and cooperatives" }]);
  }
  const row: PartyRow = {
    id: uuidv7(deps.clock(), deps.randomBytes),
    kind: input.kind,
    name: input.name,
    creditCode: input.creditCode ?? null,
    idNumber: input.idNumber ?? null,
    contactName: input.contactName ?? null,
    phone: input.phone,
    regionCode: input.regionCode,
    address: input.address ?? null,
    createdBy: p.keyId,
    createdAt: deps.clock(),
  };
  const inserted = await deps.db.insert(parties).values(row).onConflictDoNothing().returning({ id: parties.id });
  if (inserted.length === 0) {
    throw problems.conflict("duplicate-credit-code", `a party with 统一社会信用代码 ${input.creditCode} is already registered`);
  }
  return row;
}

export async function getParty(deps: AppDeps, principal: Principal | null, id: string): Promise<PartyRow> {
  const p = requireRole(principal, ["admin", "regulator", "producer", "buyer", "market", "lab"]);
  const [row] = await deps.db.select().from(parties).where(eq(parties.id, id));
  if (row === undefined) throw problems.notFound(`party ${id}`);
  const visible =
    p.role === "admin" ||
    p.partyId === row.id ||
    (p.role === "regulator" && p.regionCode !== null && regionCovers(p.regionCode, row.regionCode));
  if (!visible) throw problems.notFound(`party ${id}`);
  return row;
}

export async function listParties(
  deps: AppDeps,
  principal: Principal | null,
  q: { limit: number; cursor?: string | undefined; kind?: PartyKind | undefined },
) {
  const p = requireRole(principal, ["admin", "regulator"]);
  const where: SQL[] = [];
  if (p.role === "regulator") where.push(like(parties.regionCode, `${regionPrefix(p.regionCode ?? "")}%`));
  if (q.kind !== undefined) where.push(eq(parties.kind, q.kind));
  if (q.cursor !== undefined) where.push(gt(parties.id, q.cursor));
  const rows = await deps.db.select().from(parties).where(and(...where)).orderBy(asc(parties.id)).limit(q.limit + 1);
  return toPage(rows, q.limit);
}

/** Admins, regulators over the party's region, and the party itself (to rotate its own key) may manage its keys. */
async function partyForKeyManagement(deps: AppDeps, principal: Principal | null, partyId: string) {
  const p = requireRole(principal, ["admin", "regulator", "producer", "buyer", "market", "lab"]);
  const party = await getParty(deps, p, partyId);
  if (p.role !== "admin" && p.role !== "regulator" && p.partyId !== party.id) throw problems.notFound(`party ${partyId}`);
  return { p, party };
}

export async function createPartyKey(deps: AppDeps, principal: Principal | null, partyId: string, label?: string) {
  const { party } = await partyForKeyManagement(deps, principal, partyId);
  const secret = newKeySecret(deps.randomBytes);
  const row = {
    id: uuidv7(deps.clock(), deps.randomBytes),
    partyId: party.id,
    role: roleOfKind(party.kind),
    secretHash: hashSecret(secret),
    prefix: secret.slice(0, 10),
    label: label ?? null,
    createdAt: deps.clock(),
    revokedAt: null,
  };
  await deps.db.insert(apiKeys).values(row);
  return { ...keyView(row), key: secret };
}

function keyView(row: typeof apiKeys.$inferSelect) {
  return {
    id: row.id,
    partyId: row.partyId,
    role: row.role,
    prefix: row.prefix,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listPartyKeys(deps: AppDeps, principal: Principal | null, partyId: string) {
  const { party } = await partyForKeyManagement(deps, principal, partyId);
  const rows = await deps.db.select().from(apiKeys).where(eq(apiKeys.partyId, party.id)).orderBy(asc(apiKeys.id));
  return rows.map(keyView);
}

export async function revokePartyKey(deps: AppDeps, principal: Principal | null, partyId: string, keyId: string) {
  const { party } = await partyForKeyManagement(deps, principal, partyId);
  const [row] = await deps.db
    .update(apiKeys)
    .set({ revokedAt: deps.clock() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.partyId, party.id)))
    .returning();
  if (row === undefined) throw problems.notFound(`key ${keyId}`);
  return keyView(row);
}

export async function ensureBootstrapAdmin(deps: AppDeps, secret: string): Promise<void> {
  await deps.db
    .insert(apiKeys)
    .values({
      id: uuidv7(deps.clock(), deps.randomBytes),
      partyId: null,
      role: "admin",
      secretHash: hashSecret(secret),
      prefix: secret.slice(0, 6),
      label: "bootstrap",
      createdAt: deps.clock(),
    })
    .onConflictDoNothing();
}

