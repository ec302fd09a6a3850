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

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json; charset=utf-8", ...headers },
  });
}
