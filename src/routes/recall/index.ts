import { createRoute } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import * as recall from "../../services/recall";
import { LiftBody, NewRecall, RecallDetail, RecallPage, RecallQuery } from "./recall.schemas";

const security = [{ bearer: [] }];
const tags = ["Recalls"];
const body = <T>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

/** Lot ids are listed in full (a recall is the moment to know them all); the codes are what scanners show. */
function detail(r: { recall: recall.RecallRow; affected: recall.AffectedSet }) {
  return {
    recall: recall.recallView(r.recall),
    affected: {
      lots: r.affected.lotIds.length,
      lotIds: r.affected.lotIds,
      certificateCodes: r.affected.certificateCodes,
      receivers: r.affected.receivers,
      depthCapped: r.affected.depthCapped,
    },
  };
}

export const recallRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/recalls",
      tags,
      security,
      summary: "Recall a lot and every lot made from it (召回)",
      description:
        "Regulators of the lot owner's region. From now on every certificate of the lot and of its descendants verifies as `recalled` " +
        "(with the reason and date). The answer lists the buyers and markets that goods of any of them were sent to, with contact and quantities. " +
        "409 when the lot is already under an active recall.",
      request: body(NewRecall),
      responses: { 201: jsonContent(RecallDetail, "The recall and what it reaches"), ...errorResponses },
    }),
    async (c) => c.json(detail(await recall.createRecall(c.get("deps"), c.get("principal"), c.req.valid("json"))), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/recalls",
      tags,
      security,
      summary: "Recalls in your region",
      request: { query: RecallQuery },
      responses: { 200: jsonContent(RecallPage, "A page of recalls, oldest first"), ...errorResponses },
    }),
    async (c) => {
      const page = await recall.listRecalls(c.get("deps"), c.get("principal"), c.req.valid("query"));
      return c.json({ items: page.items.map(recall.recallView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/recalls/{id}",
      tags,
      security,
      summary: "A recall, with the lots, certificates and receivers it reaches now",
      request: { params: IdParam },
      responses: { 200: jsonContent(RecallDetail, "The recall"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const row = await recall.getRecall(deps, c.get("principal"), c.req.valid("param").id);
      return c.json(detail({ recall: row, affected: await recall.affectedBy(deps, row.lotId) }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/recalls/{id}/lift",
      tags,
      security,
      summary: "Lift a recall (recorded, never deleted)",
      description: "409 when it was already lifted.",
      request: { params: IdParam, ...body(LiftBody) },
      responses: { 200: jsonContent(RecallDetail, "The lifted recall"), ...errorResponses },
    }),
    async (c) => c.json(detail(await recall.liftRecall(c.get("deps"), c.get("principal"), c.req.valid("param").id, c.req.valid("json").reason)), 200),
  );
