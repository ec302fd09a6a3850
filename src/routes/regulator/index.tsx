import type { Context, MiddlewareHandler } from "hono";
import {
  clearSessionCookie,
  endSession,
  isSameOriginPost,
  REGULATOR_CONSOLE,
  sessionPrincipal,
  sessionToken,
  setSessionCookie,
  startSession,
} from "../../auth/session";
import type { AppEnv } from "../../http/context";
import { ApiError } from "../../http/problem";
import { createRouter } from "../../http/router";
import { RegulatorSignInPage } from "../../render/pages/regulator/sign-in-page";
import { TracePage } from "../../render/pages/regulator/trace-page";
import { createRecall } from "../../services/recall";
import { runTrace } from "../trace";

const PAGE_HEADERS = { "cache-control": "private, no-store", "referrer-policy": "same-origin", "x-frame-options": "DENY" };

const SIGN_IN_ERRORS = { unknown_key: "密钥不对或已作废", wrong_role: "此密钥不是监管或管理员密钥" } as const;

function page(c: Context<AppEnv>, html: string, status: 200 | 401 | 403 | 404 | 409 | 422 = 200) {
  return c.html(`<!doctype html>${html}`, status, PAGE_HEADERS);
}

/** Only a path on the desk itself: a sign-in form must never send the officer to another site. */
function safeNext(value: unknown): string {
  return typeof value === "string" && /^\/regulator\/[A-Za-z0-9/_?=&%.\-]*$/.test(value) ? value : "/regulator/dashboard";
}

function signInPage(c: Context<AppEnv>, error: string | null, status: 200 | 401 | 403, next: string) {
  return page(c, String(<RegulatorSignInPage error={error} next={next} />), status);
}

/**
 * The desk's pages take the officer's session cookie when the request carries no API key; without either, any desk
 * page answers with the sign-in form (401) instead of a JSON problem a browser would only show as text.
 */
export const regulatorSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.path === "/regulator/session" || c.get("principal") !== null) return next();
  const principal = await sessionPrincipal(c, REGULATOR_CONSOLE);
  if (principal === null) {
    const url = new URL(c.req.url);
    return signInPage(c, null, 401, safeNext(c.req.method === "GET" ? url.pathname + url.search : undefined));
  }
  c.set("principal", { keyId: principal.keyId, role: principal.role, partyId: principal.partyId, regionCode: principal.regionCode });
  return next();
};

export const regulatorConsoleRouter = createRouter();

regulatorConsoleRouter.get("/regulator", (c) => c.redirect("/regulator/dashboard", 303));

regulatorConsoleRouter.post("/regulator/session", async (c) => {
  const form = await c.req.parseBody();
  const next = safeNext(form["next"]);
  if (!isSameOriginPost(c)) return signInPage(c, "请求来源不对，请从本页面登录", 403, next);
  const secret = typeof form["apiKey"] === "string" ? form["apiKey"] : "";
  const result = await startSession(c.get("deps"), REGULATOR_CONSOLE, secret);
  if (!result.ok) return signInPage(c, SIGN_IN_ERRORS[result.reason], result.reason === "unknown_key" ? 401 : 403, next);
  setSessionCookie(c, REGULATOR_CONSOLE, result.token);
  return c.redirect(next, 303);
});

regulatorConsoleRouter.post("/regulator/session/end", async (c) => {
  const token = sessionToken(c, REGULATOR_CONSOLE);
  if (token !== undefined && isSameOriginPost(c)) await endSession(c.get("deps"), token);
  clearSessionCookie(c, REGULATOR_CONSOLE);
  return c.redirect("/regulator/trace", 303);
});

/** The trace page's recall form: recalls the traced lot and comes back to the trace, which then shows it recalled. */
regulatorConsoleRouter.post("/regulator/recalls", async (c) => {
  const form = await c.req.parseBody();
  const code = typeof form["code"] === "string" ? form["code"].trim() : "";
  const lotId = typeof form["lotId"] === "string" ? form["lotId"] : "";
  const reason = typeof form["reason"] === "string" ? form["reason"].trim() : "";
  const back = async (error: string, status: 403 | 404 | 409 | 422) => {
    const trace = code === "" ? null : await runTrace(c, { code, format: "json" }).catch(() => null);
    return page(c, String(<TracePage query={code} trace={trace} error={error} />), status);
  };
  if (!isSameOriginPost(c)) return back("请求来源不对，请从本页面提交", 403);
  if (reason === "" || reason.length > 500) return back("请填写召回原因（500 字以内）", 422);
  try {
    const { recall } = await createRecall(c.get("deps"), c.get("principal"), { lotId, reason, scope: "lot_and_descendants" });
    return c.redirect(`/regulator/trace?code=${encodeURIComponent(code)}&recall=${encodeURIComponent(recall.id)}`, 303);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 404 || err.status === 409 || err.status === 422)) {
      return back(err.problem.detail ?? err.problem.title, err.status);
    }
    throw err;
  }
});
