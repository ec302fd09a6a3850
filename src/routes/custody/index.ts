import { createRoute } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { problems } from "../../http/problem";
import * as custody from "../../services/custody";
import * as genealogy from "../../services/genealogy";
import {
  Custody,
  EventPage,
  EventsQuery,
  Genealogy,
  GenealogyQuery,
  MergeBody,
  NewShipment,
  OperationResult,
  ReceiptResult,
  ReceiveBody,
  RepackBody,
  Shipment,
  ShipmentQuery,
  ShipmentResult,
  SplitBody,
  TransformBody,
} from "./custody.schemas";
import { pageOf } from "../../http/openapi";

const security = [{ bearer: [] }];
const lotTags = ["Genealogy"];
const shipmentTags = ["Custody"];

const body = <T>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

/** New lots made: 201, or 200 with the first answer when the same event was already recorded. */
const made = {
  201: jsonContent(OperationResult, "The new lots, their edges and the event"),
  200: jsonContent(OperationResult, "The same event was already recorded: its lots"),
  ...errorResponses,
};

export const custodyRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/lots/{id}/split",
      tags: lotTags,
      security,
      summary: "Split a lot you hold into new lots (分批)",
      description: "Each new lot takes its quantity from the lot; together they take at most what is left. 409 when they would take more.",
      request: { params: IdParam, ...body(SplitBody) },
      responses: made,
    }),
    async (c) => {
      const r = await genealogy.splitLot(c.get("deps"), c.get("principal"), c.req.valid("param").id, c.req.valid("json"));
      return r.replayed ? c.json(genealogy.operationView(r), 200) : c.json(genealogy.operationView(r), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/lots/merge",
      tags: lotTags,
      security,
      summary: "Merge lots you hold into one (混装)",
      description: "The new lot holds the sum of the contributions in its unit, rounded down: never more than the parents gave.",
      request: body(MergeBody),
      responses: made,
    }),
    async (c) => {
      const r = await genealogy.mergeLots(c.get("deps"), c.get("principal"), c.req.valid("json"));
      return r.replayed ? c.json(genealogy.operationView(r), 200) : c.json(genealogy.operationView(r), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/lots/{id}/repack",
      tags: lotTags,
      security,
      summary: "Repack part of a lot into packages of a declared weight (分装)",
      request: { params: IdParam, ...body(RepackBody) },
      responses: made,
    }),
    async (c) => {
      const r = await genealogy.repackLot(c.get("deps"), c.get("principal"), c.req.valid("param").id, c.req.valid("json"));
      return r.replayed ? c.json(genealogy.operationView(r), 200) : c.json(genealogy.operationView(r), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/lots/transform",
      tags: lotTags,
      security,
      summary: "Transform input lots into lots of other products",
      description: "Inputs are consumed; outputs are not bound by the inputs' mass.",
      request: body(TransformBody),
      responses: made,
    }),
    async (c) => {
      const r = await genealogy.transformLots(c.get("deps"), c.get("principal"), c.req.valid("json"));
      return r.replayed ? c.json(genealogy.operationView(r), 200) : c.json(genealogy.operationView(r), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/lots/{id}/genealogy",
      tags: lotTags,
      security,
      summary: "Where a lot came from (up) or went (down)",
      description: "Lots of other parties appear as ids and holders only. At most 5000 nodes (truncated says when more exist).",
      request: { params: IdParam, query: GenealogyQuery },
      responses: { 200: jsonContent(Genealogy, "Nodes and edges"), ...errorResponses },
    }),
    async (c) => c.json(await genealogy.genealogy(c.get("deps"), c.get("principal"), c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/lots/{id}/custody",
      tags: lotTags,
      security,
      summary: "Who held the goods of a lot, and when",
      request: { params: IdParam },
      responses: { 200: jsonContent(Custody, "Holders, oldest first"), ...errorResponses },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      return c.json({ lotId: id, holders: await custody.lotCustody(c.get("deps"), c.get("principal"), id) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/events",
      tags: lotTags,
      security,
      summary: "EPCIS 2.0 events about a lot, or recorded by your party",
      request: { query: EventsQuery },
      responses: { 200: jsonContent(EventPage, "A page of events as an EPCIS document"), ...errorResponses },
    }),
    async (c) => c.json(await genealogy.listEvents(c.get("deps"), c.get("principal"), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/shipments",
      tags: shipmentTags,
      security,
      summary: "Ship part of a lot you hold to a buyer or market",
      description: "The quantity leaves the lot at once; the receiver records arrival with /receive.",
      request: body(NewShipment),
      responses: {
        201: jsonContent(ShipmentResult, "The pending shipment and its shipping event"),
        200: jsonContent(ShipmentResult, "The same shipping event was already recorded"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await custody.createShipment(c.get("deps"), c.get("principal"), c.req.valid("json"));
      const view = { shipment: custody.shipmentView(r.shipment), event: genealogy.eventJson(r.event) };
      return r.replayed ? c.json(view, 200) : c.json(view, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/shipments",
      tags: shipmentTags,
      security,
      summary: "Shipments you sent or are to receive",
      request: { query: ShipmentQuery },
      responses: { 200: jsonContent(pageOf(Shipment, "ShipmentPage"), "A page of shipments"), ...errorResponses },
    }),
    async (c) => {
      const page = await custody.listShipments(c.get("deps"), c.get("principal"), c.req.valid("query"));
      return c.json({ items: page.items.map(custody.shipmentView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/shipments/{id}",
      tags: shipmentTags,
      security,
      summary: "One shipment (its sender's, its receiver's)",
      request: { params: IdParam },
      responses: { 200: jsonContent(Shipment, "The shipment"), ...errorResponses },
    }),
    async (c) => c.json(custody.shipmentView(await custody.getShipment(c.get("deps"), c.get("principal"), c.req.valid("param").id)), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/shipments/{id}/receive",
      tags: shipmentTags,
      security,
      summary: "Record a shipment's arrival (receiver only)",
      description: "Makes a lot held by the receiver, linked to the shipped lot. Receiving again answers 200 with the first receipt.",
      request: { params: IdParam, body: { content: { "application/json": { schema: ReceiveBody } }, required: false } },
      responses: {
        201: jsonContent(ReceiptResult, "The receipt and the receiver's new lot"),
        200: jsonContent(ReceiptResult, "Already received: the first receipt"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const r = await custody.receiveShipment(deps, c.get("principal"), c.req.valid("param").id, c.req.valid("json") ?? {});
      const lot = (await genealogy.loadHeldLots(deps.db, [r.lotId])).get(r.lotId);
      if (lot === undefined) throw problems.notFound(`lot ${r.lotId}`);
      const view = { shipment: custody.shipmentView(r.shipment), event: genealogy.eventJson(r.event), lot: genealogy.heldLotView(lot) };
      return r.replayed ? c.json(view, 200) : c.json(view, 201);
    },
  );
