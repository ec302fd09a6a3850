import { createRouter } from "../../http/router";
import * as svc from "../../services/parties";
import * as r from "./parties.routes";

export const partiesRouter = createRouter()
  .openapi(r.createParty, async (c) => {
    const principal = c.get("principal");
    const row = await svc.createParty(c.get("deps"), principal, c.req.valid("json"));
    return c.json(svc.partyView(row, principal), 201);
  })
  .openapi(r.listParties, async (c) => {
    const principal = c.get("principal");
    const page = await svc.listParties(c.get("deps"), principal, c.req.valid("query"));
    return c.json({ items: page.items.map((row) => svc.partyView(row, principal)), nextCursor: page.nextCursor }, 200);
  })
  .openapi(r.getParty, async (c) => {
    const principal = c.get("principal");
    return c.json(svc.partyView(await svc.getParty(c.get("deps"), principal, c.req.valid("param").id), principal), 200);
  })
  .openapi(r.createKey, async (c) => {
    const body = c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {};
    return c.json(await svc.createPartyKey(c.get("deps"), c.get("principal"), c.req.valid("param").id, body.label), 201);
  })
  .openapi(r.listKeys, async (c) => {
    return c.json({ items: await svc.listPartyKeys(c.get("deps"), c.get("principal"), c.req.valid("param").id) }, 200);
  })
  .openapi(r.revokeKey, async (c) => {
    const { id, keyId } = c.req.valid("param");
    return c.json(await svc.revokePartyKey(c.get("deps"), c.get("principal"), id, keyId), 200);
  });
