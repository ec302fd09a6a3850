import { and, eq, gt, isNull } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { apiKeys, marketSessions, parties } from "../db/schema";
import type { AppDeps } from "../deps";
import type { AppEnv } from "../http/context";
import { hashSecret, principalForSecret } from "./api-keys";
import type { Principal, Role } from "./principal";

/**
 * A minimal cookie session for the gate page (no shared session module exists yet): the clerk signs in once with
 * the market's API key, and the browser then holds only a random session id, so the key is never kept in page
 * storage where a script could read it. The cookie is HttpOnly and SameSite=Strict, which is what keeps other sites
 * from riding it; the session ends with the key (revoking the key ends every session made from it).
 */
export const SESSION_COOKIE = "lp_gate";
const SESSION_HOURS = 12;
/** Roles that may sign in to the gate page. */
const GATE_ROLES: readonly Role[] = ["market"];

export type SignIn = { ok: true; token: string; expiresAt: Date } | { ok: false; reason: "unknown_key" | "wrong_role" };

export async function startSession(deps: AppDeps, secret: string): Promise<SignIn> {
  const principal = await principalForSecret(deps.db, secret.trim());
  if (principal === null) return { ok: false, reason: "unknown_key" };
  if (!GATE_ROLES.includes(principal.role)) return { ok: false, reason: "wrong_role" };
  const token = Buffer.from(deps.randomBytes(32)).toString("base64url");
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await deps.db.insert(marketSessions).values({ idHash: hashSecret(token), keyId: principal.keyId, createdAt: now, expiresAt });
  return { ok: true, token, expiresAt };
}

export async function endSession(deps: AppDeps, token: string): Promise<void> {
  await deps.db.delete(marketSessions).where(eq(marketSessions.idHash, hashSecret(token)));
}

export async function principalForSession(deps: AppDeps, token: string): Promise<(Principal & { partyName: string | null }) | null> {
  const [row] = await deps.db
    .select({ keyId: apiKeys.id, role: apiKeys.role, partyId: apiKeys.partyId, regionCode: parties.regionCode, partyName: parties.name })
    .from(marketSessions)
    .innerJoin(apiKeys, eq(apiKeys.id, marketSessions.keyId))
    .leftJoin(parties, eq(parties.id, apiKeys.partyId))
    .where(and(eq(marketSessions.idHash, hashSecret(token)), gt(marketSessions.expiresAt, deps.clock()), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

/** Max-Age rather than Expires: the browser's clock, not the server's, decides when the cookie lapses. */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  const secure = c.get("deps").publicUrl.startsWith("https:");
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Strict", secure, path: "/", maxAge: SESSION_HOURS * 3600 });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

export function sessionToken(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * Lets the gate page's own requests authenticate by the session cookie when they carry no Authorization header.
 * Writes must be JSON (a cross-site form cannot send that without a CORS preflight), a second guard beside SameSite.
 */
export function gateSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = sessionToken(c);
    if (c.get("principal") === null && token !== undefined) {
      const jsonWrite = c.req.method === "GET" || (c.req.header("content-type") ?? "").startsWith("application/json");
      if (jsonWrite) {
        const principal = await principalForSession(c.get("deps"), token);
        if (principal !== null) c.set("principal", { keyId: principal.keyId, role: principal.role, partyId: principal.partyId, regionCode: principal.regionCode });
      }
    }
    await next();
  };
}
