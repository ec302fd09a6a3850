import { createRoute, z } from "@hono/zod-openapi";
import { gateSession } from "../../auth/market-session";
import { STATUS_PURPOSES } from "../../domain/status-list";
import { errorResponses, jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { offlineBundle } from "../../services/market-offline";

const OfflineBundle = z
  .object({
    generatedAt: z.string(),
    statusLists: z.array(z.object({ purpose: z.enum(STATUS_PURPOSES), list: z.number().int(), jwt: z.string() })).openapi({
      description: "Every status list credential in use, signed (vc+jwt)",
    }),
    credentials: z
      .array(
        z.object({
          code: z.string(),
          jwt: z.string().openapi({ description: "The certificate's signed credential (vc+jwt)" }),
          received: z.number().openapi({ description: "Received at any market when the bundle was made, in the certificate's unit" }),
          why: z.enum(["shipment", "seller", "received"]),
        }),
      )
      .openapi({ description: "Certificates this market may meet: shipments addressed to it, its sellers' recent certificates, goods it took in part of" }),
  })
  .openapi("GateOfflineBundle");

/** What the gate page keeps on the device to verify labels with the network off. */
export const marketOfflineRouter = createRouter();
marketOfflineRouter.use("/v1/market/offline-bundle", gateSession());

marketOfflineRouter.openapi(
  createRoute({
    method: "get",
    path: "/v1/market/offline-bundle",
    tags: ["Market gate"],
    security: [{ bearer: [] }],
    summary: "Signed credentials and status lists for checking labels offline",
    description:
      "The gate page stores this with /.well-known/jwks.json (and /v1/log/checkpoint when the log answers) and verifies a scanned label in the browser when the network is down. Credentials of the last 30 days, at most 2,000, newest first.",
    responses: { 200: jsonContent(OfflineBundle, "The bundle"), ...errorResponses },
  }),
  async (c) => {
    c.header("cache-control", "private, no-store");
    return c.json(await offlineBundle(c.get("deps"), c.get("principal")), 200);
  },
);
