import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const PROBLEM_BASE = "https://lotproof.dev/problems/";

/** The one error type handlers throw; the app's error handler turns it into RFC 9457 problem+json. */
export class ApiError extends HTTPException {
  readonly problem: Problem;

  constructor(status: ContentfulStatusCode, slug: string, title: string, detail?: string, extra: Record<string, unknown> = {}) {
    super(status, { message: detail ?? title });
    this.problem = { type: PROBLEM_BASE + slug, title, status, ...(detail === undefined ? {} : { detail }), ...extra };
  }
}

export const problems = {
  unauthorized: (detail = "Send Authorization: Bearer <api key>") => new ApiError(401, "unauthorized", "Missing or invalid credentials", detail),
  forbidden: (detail: string) => new ApiError(403, "forbidden", "Not allowed for this role", detail),
  notFound: (what: string) => new ApiError(404, "not-found", "Not found", `${what} was not found`),
  validation: (errors: FieldError[]) =>
    new ApiError(422, "validation", "The request has invalid fields", errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors }),
  conflict: (slug: string, detail: string, extra: Record<string, unknown> = {}) => new ApiError(409, slug, "Conflict with the current state", detail, extra),
};

/** What the app answers for an error it did not expect; the details go to the log, not to the client. */
export const INTERNAL_ERROR: Problem = { type: "about:blank", title: "Internal error", status: 500, detail: "the error was logged" };

/** A problem+json answer's status, headers and body, for code that writes its own responses (the Node cache-hit path). */
export function problemAnswer(problem: Problem, headers: Record<string, string> = {}): { status: number; headers: Record<string, string>; body: string } {
  return { status: problem.status, headers: { "content-type": "application/problem+json; charset=utf-8", ...headers }, body: JSON.stringify(problem) };
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  const answer = problemAnswer(problem, headers);
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
