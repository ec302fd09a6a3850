import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent, PageQuery, pageOf } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { ShortText } from "../../http/validators";
import * as svc from "../../services/certificates";
import { issueBuyerCertificate } from "../../services/buyer-certificates";
import { problems } from "../../http/problem";
import { Certificate, IssuedCertificate, NewCertificate } from "./certificates.schemas";

const security = [{ bearer: [] }];
const tags = ["Certificates"];

export const certificatesRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/certificates",
      tags,
      security,
      summary: "Issue a 承诺达标合格证 for one of your lots (producers 样式一, buyers 样式二 with upstream certificates)",
      description:
        "Send an Idempotency-Key header to make retries over a weak network safe: the same key returns the same certificate. " +
        "Before signing, the lot goes through the issuing gate, with no override. 422 problems: `issuing-refused` (a pre-harvest interval or " +
        "withdrawal period not passed, a season cap exceeded, a banned ingredient; `violations` name input, date, interval and first allowed " +
        "date), `lot-failed-test` (an uncleared positive test), `basis-not-met` (`gaps`: the tests named do not back the basis or do not " +
        "cover an ingredient used), `validation`, and for buyers `upstream-refused` (`errors` name each upstream entry and the rule it broke: unknown code, " +
        "not valid, quantity left to claim, unit, missing photo, entries not covering the certificate). `detail` is the farmer-readable Chinese message.",
      request: {
        headers: z.object({ "idempotency-key": z.string().min(8).max(100).optional() }),
        body: { content: { "application/json": { schema: NewCertificate } }, required: true },
      },
      responses: {
        201: jsonContent(IssuedCertificate, "The signed certificate, with the issuing gate's warnings"),
        200: jsonContent(IssuedCertificate, "The certificate already issued under this Idempotency-Key"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const principal = c.get("principal");
      const body = c.req.valid("json");
      const idempotencyKey = c.req.valid("header")["idempotency-key"];
      // Buyers issue 样式二, which names its upstream certificates; producers issue 样式一, which has none.
      if (principal?.role !== "buyer" && body.upstream !== undefined) {
        throw problems.validation([{ path: "upstream", message: "only a buyer's certificate (样式二) names upstream certificates" }]);
      }
      const { row, replayed, warnings } =
        principal?.role === "buyer"
          ? await issueBuyerCertificate(deps, principal, { ...body, upstream: body.upstream ?? [] }, idempotencyKey)
          : await svc.issueCertificate(deps, principal, body, idempotencyKey);
      const view = { ...svc.certificateView(deps, row), warnings };
      c.header("Location", view.url);
      return replayed ? c.json(view, 200) : c.json(view, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/certificates",
      tags,
      security,
      summary: "Your certificates",
      request: { query: PageQuery.extend({ lotId: z.string().optional() }) },
      responses: { 200: jsonContent(pageOf(Certificate, "CertificatePage"), "A page of certificates"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const page = await svc.listCertificates(deps, c.get("principal"), c.req.valid("query"));
      return c.json({ items: page.items.map((row) => svc.certificateView(deps, row)), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/certificates/{id}",
      tags,
      security,
      summary: "One certificate",
      request: { params: IdParam },
      responses: { 200: jsonContent(Certificate, "The certificate"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      return c.json(svc.certificateView(deps, await svc.getCertificate(deps, c.get("principal"), c.req.valid("param").id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/certificates/{id}/revoke",
      tags,
      security,
      summary: "Void (作废) a certificate with a reason; it is kept, never deleted",
      request: {
        params: IdParam,
        body: { content: { "application/json": { schema: z.object({ reason: ShortText(200) }).openapi("RevokeRequest") } }, required: true },
      },
      responses: { 200: jsonContent(Certificate, "The revoked certificate"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const row = await svc.revokeCertificate(deps, c.get("principal"), c.req.valid("param").id, c.req.valid("json").reason);
      return c.json(svc.certificateView(deps, row), 200);
    },
  );
