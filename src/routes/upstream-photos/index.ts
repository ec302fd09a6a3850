import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { fileDownload, fileTypes, readUpload, UPLOAD_HOW, uploadLimit, uploadResponses } from "../../http/uploads";
import { addUpstreamPhoto, getUpstreamPhoto, upstreamPhotoUrl } from "../../services/buyer-certificates";

const security = [{ bearer: [] }];
const tags = ["Certificates"];

export const UpstreamPhoto = z
  .object({ id: z.string(), contentType: z.string(), filename: z.string().nullable(), size: z.number().int(), sha256: z.string(), createdAt: z.string(), url: z.string() })
  .openapi("UpstreamPhoto");

export const upstreamPhotosRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/upstream-photos",
      tags,
      security,
      summary: "Keep the photo of a paper certificate you collected (buyers; JPEG, PNG, PDF; at most 5 MB)",
      middleware: [uploadLimit] as const,
      description:
        `${UPLOAD_HOW} Name the returned id as photoId in a paper upstream entry of POST /v1/certificates; the ` +
        "certificate signs the photo's SHA-256.",
      request: { query: z.object({ filename: z.string().max(200).optional() }), body: { content: fileTypes, required: true } },
      responses: { 201: jsonContent(UpstreamPhoto, "The stored photo's description"), ...uploadResponses, ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const file = await readUpload(c, c.req.valid("query").filename);
      const meta = await addUpstreamPhoto(deps, c.get("principal"), file);
      const url = upstreamPhotoUrl(deps, meta.id);
      c.header("Location", url);
      return c.json(
        { id: meta.id, contentType: meta.contentType, filename: meta.filename, size: meta.size, sha256: meta.sha256, createdAt: meta.createdAt.toISOString(), url },
        201,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/upstream-photos/{id}",
      tags,
      security,
      summary: "Download a paper certificate's photo (the buyer who kept it, regulators over its region, admins)",
      request: { params: IdParam },
      responses: { 200: { description: "The file", content: fileTypes }, ...errorResponses },
    }),
    async (c) => {
      const file = await getUpstreamPhoto(c.get("deps"), c.get("principal"), c.req.valid("param").id);
      return fileDownload(c, file);
    },
  );
