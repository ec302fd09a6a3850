import { createRoute, z } from "@hono/zod-openapi";
import { isNull, or, gt } from "drizzle-orm";
import { jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { signingKeys } from "../../db/schema";

/** Certificates are kept at least 6 months; a key stays published while anything it signed may still be checked. */
const KEY_PUBLICATION_AFTER_RETIREMENT_MS = 2 * 365 * 24 * 3600_000;

const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi("JWKS");

export const systemRouter = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      tags: ["System"],
      summary: "Liveness and database kind",
      responses: {
        200: jsonContent(z.object({ status: z.literal("ok"), db: z.enum(["pglite", "postgres"]) }), "Healthy"),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      await deps.db.select({ kid: signingKeys.kid }).from(signingKeys).limit(1);
      return c.json({ status: "ok" as const, db: deps.dbKind }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/.well-known/jwks.json",
      tags: ["Verification"],
      summary: "Public keys that signed certificates still within retention",
      responses: { 200: jsonContent(Jwks, "JSON Web Key Set") },
    }),
    async (c) => {
      const deps = c.get("deps");
      const cutoff = new Date(deps.clock().getTime() - KEY_PUBLICATION_AFTER_RETIREMENT_MS);
      const rows = await deps.db
        .select({ publicJwk: signingKeys.publicJwk })
        .from(signingKeys)
        .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, cutoff)))
        .orderBy(signingKeys.createdAt);
      c.header("Cache-Control", "public, max-age=300");
      return c.json({ keys: rows.map((r) => r.publicJwk) }, 200);
    },
  );
