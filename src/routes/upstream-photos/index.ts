import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { errorResponses, IdParam, jsonContent } from "../../http/openapi";
import { problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { addUpstreamPhoto, getUpstreamPhoto, upstreamPhotoUrl } from "../../services/buyer-certificates";
import { MAX_ATTACHMENT_BYTES, tooLarge } from "../../services/lab-tests";

const security = [{ bearer: [] }];
const tags = ["Certificates"];
const binary = z.string().openapi({ type: "string", format: "binary" });
const fileTypes = { "image/jpeg": { schema: binary }, "image/png": { schema: binary }, "application/pdf": { schema: binary } };
const problemSchema = errorResponses[422].content["application/problem+json"].schema;
const tooLargeResponse = { description: "The file is larger than 5 MB", content: { "application/problem+json": { schema: problemSchema } } };
const unsupportedResponse = { ...tooLargeResponse, description: "Not a JPEG, PNG or PDF, or not what its content type says" };

// Multipart framing adds a little to the file itself; the file's own size is checked exactly afterwards.
const photoLimit = bodyLimit({
  maxSize: MAX_ATTACHMENT_BYTES + 64 * 1024,
  onError: () => {
    throw tooLarge();
  },
});

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
      middleware: [photoLimit] as const,
      description:
        "Send the file as the raw body with its content type (add ?filename=), or as multipart/form-data in a field named file. The type is " +
        "checked against the file's own first bytes. Name the returned id as photoId in a paper upstream entry of POST /v1/certificates; the " +
        "certificate signs the photo's SHA-256.",
      request: { query: z.object({ filename: z.string().max(200).optional() }), body: { content: fileTypes, required: true } },
      responses: { 201: jsonContent(UpstreamPhoto, "The stored photo's description"), 413: tooLargeResponse, 415: unsupportedResponse, ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const type = c.req.header("content-type") ?? "";
      let file: { declaredType: string; filename: string | null; bytes: Uint8Array };
      if (/^multipart\/form-data/i.test(type)) {
        const form = await c.req.parseBody();
        const part = form["file"];
        if (!(part instanceof File)) throw problems.validation([{ path: "file", message: "send the file in a form field named file" }]);
        file = { declaredType: part.type, filename: part.name || null, bytes: new Uint8Array(await part.arrayBuffer()) };
      } else {
        file = { declaredType: type, filename: c.req.valid("query").filename ?? null, bytes: new Uint8Array(await c.req.arrayBuffer()) };
      }
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
      const name = file.filename ?? `${file.id}.${file.contentType.split("/")[1]}`;
      return c.body(new Uint8Array(file.bytes), 200, {
        "content-type": file.contentType,
        "content-length": String(file.size),
        // Never rendered inline under our origin: an uploaded PDF must not run in the API's context.
        "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
      });
    },
  );
