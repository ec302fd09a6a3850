import { createRoute, z } from "@hono/zod-openapi";
import { chinaDate } from "../../domain/ids";
import type { ApplicationData, HarvestData } from "../../domain/production/stored-records";
import { errorResponses, IdParam, jsonContent, pageOf } from "../../http/openapi";
import { createRouter } from "../../http/router";
import * as svc from "../../services/production-records";
import { Application, ApplicationCorrection, Harvest, HarvestCorrection, NewApplication, NewHarvest, RecordQuery } from "./records.schemas";

const security = [{ bearer: [] }];
const tags = ["Production records"];

/** `undefined` keeps the earlier value; anything else, null included, replaces it. */
const pick = <T>(given: T | undefined, earlier: T): T => (given === undefined ? earlier : given);

const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

export const recordsRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/records/applications",
      tags,
      security,
      summary: "Record an input application (农药、兽药、肥料使用记录)",
      description:
        "Quick from a phone: only inputName and a siteId or lotId are required; appliedOn defaults to today in China. " +
        "A record on a lot also counts for the lot's plot. Records are never edited: correct them with POST …/{id}/corrections.",
      request: { body: json(NewApplication) },
      responses: { 201: jsonContent(Application, "The record"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const b = c.req.valid("json");
      const data: ApplicationData = {
        kind: "application",
        inputType: b.inputType ?? "pesticide",
        inputName: b.inputName,
        registrationNo: b.registrationNo ?? null,
        formulation: b.formulation ?? null,
        activeIngredients: b.activeIngredients ?? [],
        dose: b.dose ?? null,
        method: b.method ?? null,
        appliedOn: b.appliedOn ?? chinaDate(deps.clock()),
        stoppedOn: b.stoppedOn ?? null,
        operator: b.operator ?? null,
        pest: b.pest ?? null,
        notes: b.notes ?? null,
      };
      const row = await svc.createRecord(deps, c.get("principal"), { siteId: b.siteId, lotId: b.lotId }, data);
      return c.json(svc.applicationView({ current: row, history: [] }), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/records/applications/{id}/corrections",
      tags,
      security,
      summary: "Correct an application: a new version that points at the one it corrects",
      description: "Only the latest version can be corrected (409 names it otherwise). Send retract: true to withdraw a record made in error.",
      request: { params: IdParam, body: json(ApplicationCorrection) },
      responses: { 201: jsonContent(Application, "The record as corrected, with its history"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const b = c.req.valid("json");
      const row = await svc.correctRecord<ApplicationData>(deps, c.get("principal"), "application", c.req.valid("param").id, {
        placement: { siteId: b.siteId, lotId: b.lotId },
        reason: b.reason,
        retract: b.retract ?? false,
        data: (e) => ({
          kind: "application",
          inputType: b.inputType ?? e.inputType,
          inputName: b.inputName ?? e.inputName,
          registrationNo: pick(b.registrationNo, e.registrationNo),
          formulation: pick(b.formulation, e.formulation),
          activeIngredients: b.activeIngredients ?? e.activeIngredients,
          dose: pick(b.dose, e.dose),
          method: pick(b.method, e.method),
          appliedOn: b.appliedOn ?? e.appliedOn,
          stoppedOn: pick(b.stoppedOn, e.stoppedOn),
          operator: pick(b.operator, e.operator),
          pest: pick(b.pest, e.pest),
          notes: pick(b.notes, e.notes),
        }),
      });
      return c.json(svc.applicationView(await svc.getRecord(deps, c.get("principal"), "application", row.id)), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/records/applications",
      tags,
      security,
      summary: "Applications as they stand, each with its earlier versions",
      description: "Producers see their own; regulators those of producers in their region.",
      request: { query: RecordQuery },
      responses: { 200: jsonContent(pageOf(Application, "ApplicationPage"), "A page of applications"), ...errorResponses },
    }),
    async (c) => {
      const page = await svc.listRecords(c.get("deps"), c.get("principal"), "application", c.req.valid("query"));
      return c.json({ items: page.items.map(svc.applicationView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/records/applications/{id}",
      tags,
      security,
      summary: "One application by the id of any of its versions",
      request: { params: IdParam },
      responses: { 200: jsonContent(Application, "The record as it stands, with its history"), ...errorResponses },
    }),
    async (c) => c.json(svc.applicationView(await svc.getRecord(c.get("deps"), c.get("principal"), "application", c.req.valid("param").id)), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/records/harvests",
      tags,
      security,
      summary: "Record a harvest (采收记录)",
      description: "harvestedOn defaults to today in China. endsSeason: true marks the crop cleared, so the plot's next lots start a new season for the issuing gate.",
      request: { body: json(NewHarvest) },
      responses: { 201: jsonContent(Harvest, "The record"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const b = c.req.valid("json");
      const data: HarvestData = {
        kind: "harvest",
        harvestedOn: b.harvestedOn ?? chinaDate(deps.clock()),
        quantity: b.quantity ?? null,
        unit: b.unit ?? null,
        endsSeason: b.endsSeason ?? false,
        operator: b.operator ?? null,
        notes: b.notes ?? null,
      };
      const row = await svc.createRecord(deps, c.get("principal"), { siteId: b.siteId, lotId: b.lotId }, data);
      return c.json(svc.harvestView({ current: row, history: [] }), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/records/harvests/{id}/corrections",
      tags,
      security,
      summary: "Correct a harvest record",
      request: { params: IdParam, body: json(HarvestCorrection) },
      responses: { 201: jsonContent(Harvest, "The record as corrected, with its history"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const b = c.req.valid("json");
      const row = await svc.correctRecord<HarvestData>(deps, c.get("principal"), "harvest", c.req.valid("param").id, {
        placement: { siteId: b.siteId, lotId: b.lotId },
        reason: b.reason,
        retract: b.retract ?? false,
        data: (e) => ({
          kind: "harvest",
          harvestedOn: b.harvestedOn ?? e.harvestedOn,
          quantity: pick(b.quantity, e.quantity),
          unit: pick(b.unit, e.unit),
          endsSeason: b.endsSeason ?? e.endsSeason,
          operator: pick(b.operator, e.operator),
          notes: pick(b.notes, e.notes),
        }),
      });
      return c.json(svc.harvestView(await svc.getRecord(deps, c.get("principal"), "harvest", row.id)), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/records/harvests",
      tags,
      security,
      summary: "Harvest records as they stand, each with its earlier versions",
      request: { query: RecordQuery },
      responses: { 200: jsonContent(pageOf(Harvest, "HarvestPage"), "A page of harvests"), ...errorResponses },
    }),
    async (c) => {
      const page = await svc.listRecords(c.get("deps"), c.get("principal"), "harvest", c.req.valid("query"));
      return c.json({ items: page.items.map(svc.harvestView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/records/harvests/{id}",
      tags,
      security,
      summary: "One harvest record by the id of any of its versions",
      request: { params: IdParam },
      responses: { 200: jsonContent(Harvest, "The record as it stands, with its history"), ...errorResponses },
    }),
    async (c) => c.json(svc.harvestView(await svc.getRecord(c.get("deps"), c.get("principal"), "harvest", c.req.valid("param").id)), 200),
  );
