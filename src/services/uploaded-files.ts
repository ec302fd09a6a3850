import { createHash } from "node:crypto";
import type { AppDeps } from "../deps";
import { uuidv7 } from "../domain/ids";
import type { AttachmentType } from "../domain/production/stored-records";
import { ApiError, problems } from "../http/problem";

/** Evidence files (test reports, photos of paper certificates) are kept in the database; this bounds each one. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export interface UploadedFile {
  declaredType: string;
  filename: string | null;
  bytes: Uint8Array;
}

/** The file's own first bytes decide its type: a renamed executable is not a photo. */
export function sniffType(bytes: Uint8Array): AttachmentType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  return null;
}

export function tooLarge() {
  return new ApiError(413, "attachment-too-large", "The file is too large", `attachments are at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`, { maxBytes: MAX_ATTACHMENT_BYTES });
}

/**
 * The columns every stored evidence file has, once the file is accepted: not empty, within the size bound, and a
 * JPEG, PNG or PDF whose bytes say what its declared content type says (413, 422 or 415 otherwise).
 */
export function acceptedFile(deps: Pick<AppDeps, "clock" | "randomBytes">, createdBy: string, file: UploadedFile) {
  if (file.bytes.length > MAX_ATTACHMENT_BYTES) throw tooLarge();
  if (file.bytes.length === 0) throw problems.validation([{ path: "(body)", message: "the file is empty" }]);
  const detected = sniffType(file.bytes);
  const declared = file.declaredType.split(";")[0]!.trim().toLowerCase();
  if (detected === null || detected !== declared) {
    throw new ApiError(
      415,
      "unsupported-attachment",
      "Only JPEG, PNG and PDF files are kept",
      detected === null
        ? `the file is not a JPEG, PNG or PDF (declared ${declared || "no type"})`
        : `the file is a ${detected} but was sent as ${declared || "no type"}`,
    );
  }
  const now = deps.clock();
  return {
    id: uuidv7(now, deps.randomBytes),
    contentType: detected,
    filename: file.filename,
    size: file.bytes.length,
    sha256: createHash("sha256").update(file.bytes).digest("hex"),
    bytes: file.bytes,
    createdBy,
    createdAt: now,
  };
}
