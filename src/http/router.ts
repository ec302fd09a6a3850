import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context";
import { problems } from "./problem";

/** Every feature router validates the same way: zod failures become 422 problem+json naming field and rule. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const prefix = result.target === "json" ? "" : `${result.target}.`;
        throw problems.validation(
          result.error.issues.map((issue) => ({
            path: prefix + (issue.path.length > 0 ? issue.path.join(".") : "(body)"),
            message: issue.message,
          })),
        );
      }
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
