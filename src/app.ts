import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { HTTPException } from "hono/http-exception";
import { principalForSecret } from "./auth/api-keys";
import type { AppDeps } from "./deps";
import { responseCaching } from "./http/cache";
import type { AppEnv } from "./http/context";
import { ApiError, INTERNAL_ERROR, problemResponse } from "./http/problem";
import { rateLimiting } from "./http/rate-limit";
import { scanRecording } from "./http/scan-recording";
import type { Router } from "./http/router";
import { certificatesRouter } from "./routes/certificates";
import { custodyRouter } from "./routes/custody";
import { coldChainRouter } from "./routes/cold-chain";
import { lotsRouter } from "./routes/lots";
import { marketRouter } from "./routes/market";
import { partiesRouter } from "./routes/parties";
import { productsRouter } from "./routes/products";
import { recordsRouter } from "./routes/records";
import { referenceRouter } from "./routes/reference";
import { scanRouter } from "./routes/scan";
import { resolverRouter } from "./routes/resolver";
import { sitesRouter } from "./routes/sites";
import { systemRouter } from "./routes/system";
import { testsRouter } from "./routes/tests";
import { verifyRouter } from "./routes/verify";
import { regulatorConsoleRouter, regulatorSession } from "./routes/regulator";
import { traceRouter } from "./routes/trace";
import { recallRouter } from "./routes/recall";
import { casesRouter } from "./routes/cases";
import { scanFlagsRouter } from "./routes/scan-flags";
import { statsRouter } from "./routes/stats";
import { epcisRouter } from "./routes/epcis";
import { exportsRouter } from "./routes/exports";
import { upstreamPhotosRouter } from "./routes/upstream-photos";
import { statusListsRouter } from "./routes/status-lists";
import { qrRouter } from "./routes/print/qr";
import { logRouter } from "./routes/log";
import { keysRouter } from "./routes/keys";
import { PRODUCER_CONSOLE, REGULATOR_CONSOLE, sessionAuth } from "./auth/session";
import { pgError } from "./db/errors";

/** SQLSTATEs of text PostgreSQL refuses to store: an invalid byte sequence (NUL in text), an unsupported escape (NUL in jsonb). */
const UNSTORABLE_TEXT = new Set(["22021", "22P05"]);

/**
 * `originRouters` are mounted only where the Node origin builds the app: routes such as PDF rendering whose
 * libraries cannot run on Workers stay out of the edge bundle.
 */
export function createApp(deps: AppDeps, originRouters: readonly Router[] = []) {
  const app = new OpenAPIHono<AppEnv>();

  // Order matters: a refused flood costs no query, and a cache hit costs no authentication lookup.
  app.use(rateLimiting(deps));
  app.use(async (c, next) => {
    c.set("deps", deps);
    const header = c.req.header("authorization");
    c.set("principal", null);
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match === null ? null : await principalForSecret(deps.db, match[1]!);
      if (principal === null) return problemResponse(new ApiError(401, "unauthorized", "Missing or invalid credentials", "the API key is unknown or revoked").problem);
      c.set("principal", principal);
    }
    await next();
  });
  // Before the cache: a scan answered from the cache still counts.
  app.use(scanRecording(deps));
  // The producer's console calls the JSON API with its session cookie; an Authorization header, when sent, wins.
  app.use("/v1/*", sessionAuth(PRODUCER_CONSOLE));
  app.use("/v1/*", sessionAuth(REGULATOR_CONSOLE));
  app.use("/regulator/*", regulatorSession);
  app.use(responseCaching(deps));

  app.onError((err, c) => {
    if (err instanceof ApiError) return problemResponse(err.problem);
    // Text the database cannot store (a NUL in a document no route schema looked into) is the client's to fix.
    if (UNSTORABLE_TEXT.has(pgError(err)?.code ?? "")) {
      return problemResponse({ type: "about:blank", title: "Text the database cannot store", status: 422, detail: "the request holds a NUL character (U+0000) or a byte sequence that is not UTF-8" });
    }
    if (err instanceof HTTPException) {
      // Hono's own rejections (malformed JSON and the like) are the client's mistake, not ours.
      return problemResponse({ type: "about:blank", title: err.message || "Bad request", status: err.status, detail: err.message });
    }
    console.error(`${c.req.method} ${c.req.path}`, err);
    return problemResponse(INTERNAL_ERROR);
  });

  app.notFound((c) => problemResponse({ type: "about:blank", title: "Not found", status: 404, detail: `no route for ${c.req.method} ${c.req.path}` }));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "API key" });

  app
    .route("/", systemRouter)
    .route("/", partiesRouter)
    .route("/", sitesRouter)
    .route("/", productsRouter)
    .route("/", lotsRouter)
    .route("/", custodyRouter)
    .route("/", certificatesRouter)
    .route("/", upstreamPhotosRouter)
    .route("/", referenceRouter)
    .route("/", recordsRouter)
    .route("/", testsRouter)
    .route("/", coldChainRouter)
    .route("/", verifyRouter)
    .route("/", scanRouter)
    .route("/", resolverRouter)
    .route("/", marketRouter)
    .route("/", regulatorConsoleRouter)
    .route("/", traceRouter)
    .route("/", recallRouter)
    .route("/", casesRouter)
    .route("/", scanFlagsRouter)
    .route("/", statsRouter)
    .route("/", epcisRouter)
    .route("/", exportsRouter)
    .route("/", statusListsRouter)
    .route("/", qrRouter)
    .route("/", logRouter)
    .route("/", keysRouter);
  for (const router of originRouters) app.route("/", router);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "lotproof",
      version: "1",
      description: "Traceability and 承诺达标合格证 (certificate of compliance) service for farm produce.",
    },
    servers: [{ url: deps.publicUrl }],
  });
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "lotproof API" }));

  return app;
}

export type App = ReturnType<typeof createApp>;
