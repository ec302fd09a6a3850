import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AttachmentType } from "../domain/production/stored-records";
import { bodyLimit } from "hono/body-limit";
import { MAX_ATTACHMENT_BYTES, tooLarge, type UploadedFile } from "../services/uploaded-files";
import { errorResponses } from "./openapi";
import { problems } from "./problem";

// The HTTP side of evidence files (test reports, photos of paper certificates): one way to send them, one limit,
// one way to fetch them.

const binary = z.string().openapi({ type: "string", format: "binary" });
export const fileTypes = { "image/jpeg": { schema: binary }, "image/png": { schema: binary }, "application/pdf": { schema: binary } };

const tooLargeResponse = { description: "The file is larger than 5 MB", content: { "application/problem+json": { schema: errorResponses[422].content["application/problem+json"].schema } } };
export const uploadResponses = {
  413: tooLargeResponse,
  415: { ...tooLargeResponse, description: "Not a JPEG, PNG or PDF, or not what its content type says" },
};

export const UPLOAD_HOW =
  "Send the file as the raw body with its content type (add ?filename=), or as multipart/form-data in a field named file. " +
  "The type is checked against the file's own first bytes.";

// Multipart framing adds a little to the file itself; the file's own size is checked exactly afterwards.
export const uploadLimit = bodyLimit({
  maxSize: MAX_ATTACHMENT_BYTES + 64 * 1024,
  onError: () => {
    throw tooLarge();
  },
});

/** The file of an upload request, sent raw (its name in `?filename=`) or as the form field `file`. */
export async function readUpload(c: Context, filename: string | undefined): Promise<UploadedFile> {
  const type = c.req.header("content-type") ?? "";
  if (/^multipart\/form-data/i.test(type)) {
    const form = await c.req.parseBody();
    const part = form["file"];
    if (!(part instanceof File)) throw problems.validation([{ path: "file", message: "send the file in a form field named file" }]);
    return { declaredType: part.type, filename: part.name || null, bytes: new Uint8Array(await part.arrayBuffer()) };
  }
  return { declaredType: type, filename: filename ?? null, bytes: new Uint8Array(await c.req.arrayBuffer()) };
}

/** A stored evidence file, sent back as a download. */
export function fileDownload(c: Context, file: { id: string; contentType: AttachmentType; filename: string | null; size: number; bytes: Uint8Array }) {
  const name = file.filename ?? `${file.id}.${file.contentType.split("/")[1]}`;
  return c.body(new Uint8Array(file.bytes), 200, {
    "content-type": file.contentType,
    "content-length": String(file.size),
    // Never rendered inline under our origin: an uploaded PDF must not run in the API's context.
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
    "x-content-type-options": "nosniff",
    "cache-control": "private, no-store",
  });
}
