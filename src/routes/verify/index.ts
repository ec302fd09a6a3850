import { createRoute } from "@hono/zod-openapi";
import { jsonContent, publicErrorResponses } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { verifyCertificate } from "../../services/verify";
import { VerifyRequest, VerifyResponse } from "../certificates/certificates.schemas";

export const verifyRouter = createRouter().openapi(
  createRoute({
    method: "post",
    path: "/v1/verify",
    tags: ["Verification"],
    summary: "Check a certificate by code, scan URL or token (public)",
    description:
      "A forged token, a mistyped code or a revoked certificate are answers (valid: false with reasons), not errors. Only a malformed request is a 4xx.",
    request: { body: { content: { "application/json": { schema: VerifyRequest } }, required: true } },
    responses: { 200: jsonContent(VerifyResponse, "The verdict with its reasons"), ...publicErrorResponses },
  }),
  async (c) => c.json(await verifyCertificate(c.get("deps"), c.req.valid("json")), 200),
);
