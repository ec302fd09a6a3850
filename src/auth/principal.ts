import { regionCovers } from "../domain/region";
import { problems } from "../http/problem";

export const ROLES = ["admin", "regulator", "producer", "buyer", "market", "lab"] as const;
export type Role = (typeof ROLES)[number];

export const PARTY_KINDS = ["enterprise", "cooperative", "family_farm", "household", "buyer", "market", "lab", "regulator"] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** Producers are the kinds the law asks (or encourages) to issue 样式一 certificates. */
export function roleOfKind(kind: PartyKind): Role {
  switch (kind) {
    case "enterprise":
    case "cooperative":
    case "family_farm":
    case "household":
      return "producer";
    default:
      return kind;
  }
}

export interface Principal {
  keyId: string;
  role: Role;
  /** Null only for the bootstrap admin. */
  partyId: string | null;
  regionCode: string | null;
}

export function requireRole(principal: Principal | null, roles: readonly Role[]): Principal {
  if (principal === null) throw problems.unauthorized();
  if (!roles.includes(principal.role)) {
    throw problems.forbidden(`this action needs one of the roles ${roles.join(", ")}; your key has role ${principal.role}`);
  }
  return principal;
}

export function requireParty(principal: Principal | null, roles: readonly Role[]): Principal & { partyId: string } {
  const p = requireRole(principal, roles);
  if (p.partyId === null) throw problems.forbidden("this action is taken by a party; use that party's key");
  return { ...p, partyId: p.partyId };
}

/**
 * Who may read a record owned by `owner`: the owner, admins, and regulators whose region covers the owner's.
 * Everyone else is told it does not exist, so ids of other parties' records reveal nothing.
 */
export function canRead(principal: Principal, owner: { partyId: string; regionCode: string }): boolean {
  if (principal.role === "admin") return true;
  if (principal.partyId === owner.partyId) return true;
  return principal.role === "regulator" && principal.regionCode !== null && regionCovers(principal.regionCode, owner.regionCode);
}
