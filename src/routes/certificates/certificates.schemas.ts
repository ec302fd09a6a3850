import { z } from "@hono/zod-openapi";
import { BASES } from "../../domain/certificate";
import { Quantity, UnitField } from "../../http/validators";
import { UpstreamEntry, UpstreamReferenceSchema, UpstreamNodeSchema } from "./upstream.schemas";
import { LogEvidenceSchema } from "../log/log.schemas";

export const NewCertificate = z
  .object({
    lotId: z.string().min(1),
    quantity: Quantity.optional().openapi({ description: "Defaults to what is left of the lot" }),
    unit: UnitField.optional().openapi({ description: "Defaults to the lot's unit" }),
    basis: z.enum(BASES, { message: `must be one of ${BASES.join(", ")}` }),
    testIds: z.array(z.string().min(1)).max(20).optional(),
    copies: z.number().int().min(1).max(500).optional().openapi({ description: "Printed copies (one per crate)" }),
    upstream: z
      .array(UpstreamEntry)
      .min(1, "name at least one upstream certificate")
      .max(200, "at most 200 upstream entries")
      .optional()
      .openapi({
        description:
          "Buyers only, and required for them (样式二): the certificates the goods were collected under. Certificates issued here must be valid and " +
          "have the claimed quantity unclaimed; claims are reserved so the same goods cannot be claimed twice.",
      }),
  })
  .openapi("NewCertificate");

const ContentSchema = z
  .object({
    code: z.string(),
    templateVersion: z.string(),
    title: z.string(),
    commitmentText: z.string(),
    basis: z.enum(BASES),
    basisLabel: z.string(),
    product: z.object({ name: z.string(), category: z.string(), gtin: z.string().nullable() }),
    quantity: z.object({ amount: z.number(), unit: z.string() }),
    origin: z.object({ regionCode: z.string(), regionName: z.string().nullable(), address: z.string().nullable(), siteName: z.string().nullable() }),
    issuer: z.object({
      partyId: z.string(),
      kind: z.string(),
      name: z.string(),
      creditCode: z.string().nullable(),
      contactName: z.string().nullable(),
      phone: z.string(),
    }),
    lot: z.object({ id: z.string(), code: z.string(), harvestedAt: z.string() }),
    tests: z.array(z.object({ id: z.string(), kind: z.string(), lab: z.string().nullable(), reportNo: z.string().nullable(), testedAt: z.string() })),
    issueDate: z.string(),
    issuedAt: z.string(),
    upstream: z.array(UpstreamReferenceSchema).optional().openapi({ description: "A buyer's certificate (样式二): the upstream references, as signed" }),
  })
  .openapi("CertificateContent");

export const Certificate = z
  .object({
    id: z.string(),
    code: z.string(),
    displayCode: z.string(),
    url: z.string(),
    status: z.enum(["valid", "revoked"]),
    lotId: z.string(),
    partyId: z.string(),
    templateVersion: z.string(),
    basis: z.enum(BASES),
    quantity: z.number(),
    unit: z.string(),
    copies: z.number().int(),
    issuedAt: z.string(),
    revokedAt: z.string().nullable(),
    revokeReason: z.string().nullable(),
    content: ContentSchema,
    jwt: z.string().openapi({ description: "The certificate as a vc+jwt (W3C VC 2.0, EdDSA)" }),
    kid: z.string(),
    pdfUrl: z.string(),
    qrSvgUrl: z.string(),
  })
  .openapi("Certificate");

/** A non-blocking finding of the issuing gate, worded for the farmer in Chinese and English. */
const GateWarning = z
  .object({ kind: z.string(), messageZh: z.string(), messageEn: z.string() })
  .passthrough()
  .openapi("GateWarning");

export const IssuedCertificate = Certificate.extend({
  warnings: z.array(GateWarning).openapi({ description: "Issued anyway, but worth a look: intervals not in the reference data, unconfirmed figures, unmapped crops" }),
}).openapi("IssuedCertificate");

export const VerifyStatusSchema = z.enum(["valid", "revoked", "recalled", "expired", "failed_test", "unknown"]);

export const VerifyRequest = z
  .union([
    z.object({ code: z.string().min(1).max(64) }).strict(),
    z.object({ url: z.string().min(1).max(2048) }).strict(),
    z.object({ jwt: z.string().min(1).max(20_000) }).strict(),
  ], { message: "send exactly one of { code }, { url } or { jwt }" })
  .openapi("VerifyRequest");

export const VerifyResponse = z
  .object({
    valid: z.boolean(),
    status: VerifyStatusSchema,
    reasons: z.array(z.object({ code: z.string(), message: z.string() }).passthrough()),
    certificate: ContentSchema.extend({
      url: z.string(),
      status: VerifyStatusSchema,
      revokedAt: z.string().nullable(),
      revokeReason: z.string().nullable(),
    }).nullable(),
    upstream: z.array(UpstreamNodeSchema).openapi({
      description:
        "For a buyer's certificate (样式二): the certificates it names, each with its current status and its own upstream, depth-capped; empty otherwise. " +
        "A revoked, recalled or failed upstream certificate makes this certificate revoked, recalled or failed_test, with an upstream_* reason naming it.",
    }),
    log: LogEvidenceSchema.nullable()
      .optional()
      .openapi({ description: "The certificate's issue leaf in the transparency log, its inclusion proof and the signed checkpoint it leads to" }),
  })
  .openapi("VerifyResponse");
