/** The SQLSTATE and constraint of a database error, whichever driver raised it and however drizzle wrapped it. */
export function pgError(err: unknown): { code: string; constraint: string | undefined } | null {
  for (let e: unknown = err; e instanceof Error || (typeof e === "object" && e !== null); e = (e as { cause?: unknown }).cause) {
    const candidate = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return { code: candidate.code, constraint: typeof constraint === "string" ? constraint : undefined };
    }
    if (candidate.cause === undefined || candidate.cause === e) break;
  }
  return null;
}

export const UNIQUE_VIOLATION = "23505";
export const CHECK_VIOLATION = "23514";
