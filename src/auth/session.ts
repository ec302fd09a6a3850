import { and, eq, gt, isNull } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { apiKeys, marketSessions, parties } from "../db/schema";
import type { AppDeps } from "../deps";
import type { AppEnv } from "../http/context";
import { hashSecret, principalForSecret } from "./api-keys";
import type { Principal, Role } from "./principal";

/**
 * Browser sessions of the server-rendered consoles (the market gate, the producer's page, the regulator's desk). A person signs in once
 * with their party's API key and the browser then holds only a random session id, so the key is never kept in page
 * storage where a script could read it. The cookie is HttpOnly and SameSite=Strict, which is what keeps other sites
 * from riding it; a session ends with its key (revoking the key ends every session made from it).
 *
 * Each console has its own cookie and admits only its roles, so one browser may be signed in to both and a session
 * made for one console never opens the other. Sessions of every console share one table (market_sessions, named
 * after the first console that used it).
 */
export interface SessionConsole {
  cookie: string;
  roles: readonly Role[];
}

export const GATE_CONSOLE: SessionConsole = { cookie: "lp_gate", roles: ["market"] };
export const PRODUCER_CONSOLE: SessionConsole = { cookie: "lp_producer", roles: ["producer"] };
export const REGULATOR_CONSOLE: SessionConsole = { cookie: "lp_regulator", roles: ["regulator", "admin"] };

const SESSION_HOURS = 12;

export type SignIn = { ok: true; token: string; expiresAt: Date } | { ok: false; reason: "unknown_key" | "wrong_role" };
export type SessionPrincipal = Principal & { partyName: string | null };

export async function startSession(deps: AppDeps, console: SessionConsole, secret: string): Promise<SignIn> {
  const trimmed = secret.trim();
  if (trimmed === "") return { ok: false, reason: "unknown_key" };
  const principal = await principalForSecret(deps.db, trimmed);
  if (principal === null) return { ok: false, reason: "unknown_key" };
  if (!console.roles.includes(principal.role)) return { ok: false, reason: "wrong_role" };
  const token = Buffer.from(deps.randomBytes(32)).toString("base64url");
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await deps.db.insert(marketSessions).values({ idHash: hashSecret(token), keyId: principal.keyId, createdAt: now, expiresAt });
  return { ok: true, token, expiresAt };
}

export async function endSession(deps: AppDeps, token: string): Promise<void> {
  await deps.db.delete(marketSessions).where(eq(marketSessions.idHash, hashSecret(token)));
}

/** The live session's principal, or null when it is unknown, expired, its key revoked or its role not the console's. */
export async function principalForSession(deps: AppDeps, console: SessionConsole, token: string): Promise<SessionPrincipal | null> {
  const [row] = await deps.db
    .select({ keyId: apiKeys.id, role: apiKeys.role, partyId: apiKeys.partyId, regionCode: parties.regionCode, partyName: parties.name })
    .from(marketSessions)
    .innerJoin(apiKeys, eq(apiKeys.id, marketSessions.keyId))
    .leftJoin(parties, eq(parties.id, apiKeys.partyId))
    .where(and(eq(marketSessions.idHash, hashSecret(token)), gt(marketSessions.expiresAt, deps.clock()), isNull(apiKeys.revokedAt)));
  return row !== undefined && console.roles.includes(row.role) ? row : null;
}

/** Max-Age rather than Expires: the browser's clock, not the server's, decides when the cookie lapses. */
export function setSessionCookie(c: Context<AppEnv>, console: SessionConsole, token: string): void {
  const secure = c.get("deps").publicUrl.startsWith("https:");
  setCookie(c, console.cookie, token, { httpOnly: true, sameSite: "Strict", secure, path: "/", maxAge: SESSION_HOURS * 3600 });
}

export function clearSessionCookie(c: Context<AppEnv>, console: SessionConsole): void {
  deleteCookie(c, console.cookie, { path: "/" });
}

export function sessionToken(c: Context<AppEnv>, console: SessionConsole): string | undefined {
  return getCookie(c, console.cookie);
}

/** The signed-in principal of this request's console cookie, or null. */
export async function sessionPrincipal(c: Context<AppEnv>, console: SessionConsole): Promise<SessionPrincipal | null> {
  const token = sessionToken(c, console);
  return token === undefined ? null : principalForSession(c.get("deps"), console, token);
}

/**
 * Lets a console's own requests to the JSON API authenticate by its session cookie when they carry no Authorization
 * header. Writes must be JSON (a cross-site form cannot send that without a CORS preflight), a second guard beside
 * SameSite.
 */
export function sessionAuth(console: SessionConsole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = sessionToken(c, console);
    if (c.get("principal") === null && token !== undefined) {
      const jsonWrite = c.req.method === "GET" || (c.req.header("content-type") ?? "").startsWith("application/json");
      if (jsonWrite) {
        const principal = await principalForSession(c.get("deps"), console, token);
        if (principal !== null) c.set("principal", { keyId: principal.keyId, role: principal.role, partyId: principal.partyId, regionCode: principal.regionCode });
      }
    }
    await next();
  };
}

/**
 * For a console's own HTML form posts (which cannot be JSON): the browser must say the post comes from this site.
 * Browsers send Origin on every POST and Sec-Fetch-Site where they support it; a post carrying neither is refused.
 */
export function isSameOriginPost(c: Context<AppEnv>): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined) return site === "same-origin";
  const origin = c.req.header("origin");
  if (origin === undefined) return false;
  return origin === new URL(c.req.url).origin || origin === new URL(c.get("deps").publicUrl).origin;
}
