import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context";
import { nulPath } from "./nul";
import { problems } from "./problem";

/** Every feature router validates the same way: zod failures become 422 problem+json naming field and rule. */
export function createRouter(opts: { refuseNul?: boolean } = {}) {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      const prefix = result.target === "json" ? "" : `${result.target}.`;
      if (!result.success) {
        throw problems.validation(
          result.error.issues.map((issue) => ({
            path: prefix + (issue.path.length > 0 ? issue.path.join(".") : "(body)"),
            message: issue.message,
          })),
        );
      }
      // Any string may carry U+0000, which the database cannot store: refused here rather than by a failing INSERT.
      // Routes bound by a standard's own error codes (EPCIS answers 400) refuse it themselves.
      if (opts.refuseNul === false) return;
      const nul = nulPath(result.data);
      if (nul !== null) throw problems.validation([{ path: prefix + (nul === "" ? "(body)" : nul), message: "must not contain the NUL character (U+0000)" }]);
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
