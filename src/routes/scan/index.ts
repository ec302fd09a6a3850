import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent, publicErrorResponses } from "../../http/openapi";
import { problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { verifyCertificate } from "../../services/verify";
import { VerifyResponse } from "../certificates/certificates.schemas";

const ScanView = VerifyResponse.extend({
  trace: z.object({
    origin: z.object({ regionCode: z.string(), regionName: z.string().nullable(), address: z.string().nullable(), siteName: z.string().nullable() }),
    tests: z.array(z.unknown()),
    custody: z.array(z.unknown()),
    coldChain: z.array(z.unknown()),
  }).nullable(),
}).openapi("ScanView");

export const scanRouter = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/c/{code}",
    tags: ["Scanning"],
    summary: "What a QR code on a label resolves to",
    request: { params: z.object({ code: z.string().min(1).max(64) }) },
    responses: { 200: jsonContent(ScanView, "The certificate, its verdict and its trace"), ...publicErrorResponses },
  }),
  async (c) => {
    const deps = c.get("deps");
    const code = c.req.valid("param").code;
    const normalized = deps.codeScheme.normalize(code);
    // A code failing its check character never reaches the database.
    if (!normalized.ok) throw problems.notFound(`certificate ${code} (${normalized.message})`);
    const result = await verifyCertificate(deps, { code: normalized.code });
    if (result.certificate === null) throw problems.notFound(`certificate ${code}`);
    const cert = result.certificate;
    return c.json({ ...result, trace: { origin: cert.origin, tests: cert.tests, custody: [], coldChain: [] } }, 200);
  },
);
