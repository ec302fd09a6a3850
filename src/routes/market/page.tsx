import type { Context } from "hono";
import { clearSessionCookie, endSession, principalForSession, sessionToken, setSessionCookie, startSession } from "../../auth/market-session";
import type { AppEnv } from "../../http/context";
import { createRouter } from "../../http/router";
import { GatePage, SignInPage } from "../../render/pages/market/gate-page";

/** The page may load its own script, style, camera frames and API, and nothing from anywhere else. */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  "cache-control": "private, no-store",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
};

const SIGN_IN_ERRORS = { unknown_key: "密钥无效或已停用", wrong_role: "这个密钥不是市场的密钥" } as const;

function page(c: Context<AppEnv>, html: string, status: 200 | 401 | 403 = 200) {
  return c.html(`<!doctype html>${html}`, status, PAGE_HEADERS);
}

/** GET /market (the console, or the sign-in form) and the session it signs in to. Not part of the JSON API. */
export const marketPageRouter = createRouter();

marketPageRouter.get("/market", async (c) => {
  const token = sessionToken(c);
  const principal = token === undefined ? null : await principalForSession(c.get("deps"), token);
  if (principal === null || principal.role !== "market") return page(c, String(<SignInPage error={null} />));
  return page(c, String(<GatePage marketName={principal.partyName ?? ""} />));
});

marketPageRouter.post("/market/session", async (c) => {
  const form = await c.req.parseBody();
  const secret = typeof form["apiKey"] === "string" ? form["apiKey"] : "";
  const result = secret === "" ? ({ ok: false, reason: "unknown_key" } as const) : await startSession(c.get("deps"), secret);
  if (!result.ok) return page(c, String(<SignInPage error={SIGN_IN_ERRORS[result.reason]} />), result.reason === "unknown_key" ? 401 : 403);
  setSessionCookie(c, result.token);
  return c.redirect("/market", 303);
});

marketPageRouter.post("/market/session/end", async (c) => {
  const token = sessionToken(c);
  if (token !== undefined) await endSession(c.get("deps"), token);
  clearSessionCookie(c);
  return c.redirect("/market", 303);
});
