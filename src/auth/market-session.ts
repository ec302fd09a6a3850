import type { Context, MiddlewareHandler } from "hono";
import type { AppDeps } from "../deps";
import type { AppEnv } from "../http/context";
import * as session from "./session";

/** The gate page's session: the shared console session mechanism (./session.ts) bound to the market gate. */
export const SESSION_COOKIE = session.GATE_CONSOLE.cookie;
export type SignIn = session.SignIn;

export const startSession = (deps: AppDeps, secret: string): Promise<SignIn> => session.startSession(deps, session.GATE_CONSOLE, secret);
export const endSession = session.endSession;
export const principalForSession = (deps: AppDeps, token: string) => session.principalForSession(deps, session.GATE_CONSOLE, token);
export const setSessionCookie = (c: Context<AppEnv>, token: string): void => session.setSessionCookie(c, session.GATE_CONSOLE, token);
export const clearSessionCookie = (c: Context<AppEnv>): void => session.clearSessionCookie(c, session.GATE_CONSOLE);
export const sessionToken = (c: Context<AppEnv>): string | undefined => session.sessionToken(c, session.GATE_CONSOLE);
export const gateSession = (): MiddlewareHandler<AppEnv> => session.sessionAuth(session.GATE_CONSOLE);
