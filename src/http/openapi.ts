import { z } from "@hono/zod-openapi";

/** Response schemas shared by every route's OpenAPI description. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

export const errorResponses = {
  400: { description: "Malformed request", content: problemContent },
  401: { description: "Missing or invalid API key", content: problemContent },
  403: { description: "Role not allowed", content: problemContent },
  404: { description: "Not found (or another party's record)", content: problemContent },
  409: { description: "Conflicts with stored state", content: problemContent },
  422: { description: "Invalid fields, each named with the rule it broke", content: problemContent },
} as const;

export const publicErrorResponses = {
  400: errorResponses[400],
  404: errorResponses[404],
  422: errorResponses[422],
} as const;

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: "Page size (1–200)" }),
  cursor: z.string().max(64).optional().openapi({ description: "nextCursor from the previous page" }),
});

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

export const IdParam = z.object({ id: z.string().min(1).max(64) });
