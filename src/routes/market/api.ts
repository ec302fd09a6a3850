import { createRoute, z } from "@hono/zod-openapi";
import { gateSession } from "../../auth/market-session";
import { errorResponses, jsonContent, PageQuery, pageOf } from "../../http/openapi";
import { createRouter } from "../../http/router";
import * as svc from "../../services/market-gate";
import { recordReceiptOnce } from "../../services/receipt-idempotency";
import { CheckRequest, Flag, GateCheck, LedgerQuery, NewReceipt, Receipt, Seller } from "./market.schemas";

const security = [{ bearer: [] }];
const tags = ["Market gate"];

/** The gate's JSON API: checking a code, recording receipts, the ledger, seller files and flags. */
export const marketApiRouter = createRouter();
marketApiRouter.use("/v1/market/*", gateSession());

marketApiRouter
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/market/check",
      tags,
      security,
      summary: "Check a certificate at the gate (进场查验)",
      description:
        "Genuine or not, status with reasons, product, quantity received across all markets and left to receive, issuer, upstream summary and the cold-chain handover check, in one answer. A code failing its check character is answered without a database query.",
      request: { body: { content: { "application/json": { schema: CheckRequest } }, required: true } },
      responses: { 200: jsonContent(GateCheck, "What the clerk sees"), ...errorResponses },
    }),
    async (c) => c.json(await svc.checkAtGate(c.get("deps"), c.get("principal"), c.req.valid("json").code), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/market/receipts",
      tags,
      security,
      summary: "Record a receipt in the market's ledger (进货台账)",
      description:
        "Against a certificate, accepted and held receipts count towards its quantity across all markets, enforced by the database; a receipt beyond it is refused with 409 naming what is left, and a flag is raised for regulators. Goods without a certificate may be accepted on a passing market rapid test this market recorded.",
      request: {
        body: { content: { "application/json": { schema: NewReceipt } }, required: true },
        headers: z.object({
          "idempotency-key": z.string().min(8, "must be 8 to 100 characters").max(100, "must be 8 to 100 characters").optional().openapi({
            description: "Makes resending safe (the gate page's offline queue sends one per receipt): the same key answers 200 with the receipt first recorded, and never records a second",
          }),
        }),
      },
      responses: { 201: jsonContent(Receipt, "The receipt"), 200: jsonContent(Receipt, "The receipt already recorded under this Idempotency-Key"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { row, replayed } = await recordReceiptOnce(deps, c.get("principal"), c.req.valid("json"), c.req.valid("header")["idempotency-key"]);
      return c.json(svc.receiptView(deps, row), replayed ? 200 : 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/market/receipts",
      tags,
      security,
      summary: "The ledger: a market's own receipts, or a regulator's region's",
      request: { query: LedgerQuery },
      responses: { 200: jsonContent(pageOf(Receipt, "ReceiptPage"), "A page of receipts, oldest first"), ...errorResponses },
    }),
    async (c) => c.json(await svc.listReceipts(c.get("deps"), c.get("principal"), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/market/sellers",
      tags,
      security,
      summary: "Seller files (供货者档案)",
      request: { query: PageQuery },
      responses: { 200: jsonContent(pageOf(Seller, "SellerPage"), "A page of sellers"), ...errorResponses },
    }),
    async (c) => c.json(await svc.listSellers(c.get("deps"), c.get("principal"), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/market/flags",
      tags,
      security,
      summary: "Flags raised at gates (e.g. a certificate presented for more than it covers)",
      request: { query: PageQuery },
      responses: { 200: jsonContent(pageOf(Flag, "MarketFlagPage"), "A page of flags"), ...errorResponses },
    }),
    async (c) => c.json(await svc.listFlags(c.get("deps"), c.get("principal"), c.req.valid("query")), 200),
  );

