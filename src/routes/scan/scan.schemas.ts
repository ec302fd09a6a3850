import { z } from "@hono/zod-openapi";
import { VerifyResponse } from "../certificates/certificates.schemas";

const PublicTest = z.object({
  id: z.string(),
  lotCode: z.string().nullable(),
  kind: z.string(),
  method: z.string(),
  lab: z.string().nullable(),
  reportNo: z.string().nullable(),
  testedAt: z.string(),
  verdict: z.string(),
  analytes: z.array(z.object({ analyte: z.string(), outcome: z.string(), messageZh: z.string(), messageEn: z.string() })),
});

const CustodyEntry = z.object({
  lotCode: z.string(),
  holder: z.object({ name: z.string(), kind: z.string() }),
  site: z.object({ name: z.string(), regionCode: z.string(), regionName: z.string().nullable() }).nullable(),
  how: z.string().openapi({ description: "origin, transfer, split, merge, repack or transform" }),
  since: z.string(),
  until: z.string().nullable(),
  depth: z.number().int(),
});

const ColdChain = z.object({
  range: z.object({ minC: z.number().nullable(), maxC: z.number().nullable() }).nullable(),
  readings: z.number().int(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  series: z.array(z.unknown()),
  excursions: z.array(z.object({ start: z.string(), end: z.string(), maxC: z.number(), open: z.boolean() })),
});

export const ScanTrace = z
  .object({
    origin: z.object({ regionCode: z.string(), regionName: z.string().nullable(), address: z.string().nullable(), siteName: z.string().nullable() }),
    tests: z.array(PublicTest).openapi({ description: "Every test on the certificate's lot and the lots it came from" }),
    custody: z.array(CustodyEntry).openapi({ description: "Who held the goods, oldest first" }),
    coldChain: z.array(ColdChain).openapi({ description: "One summary of the temperature readings of those lots; empty without readings" }),
  })
  .openapi("ScanTrace");

export const ScanFlag = z.object({
  kind: z.enum(["impossible_travel", "many_regions", "excess_scans", "quantity_exceeded"]),
  raisedAt: z.string(),
  message: z.string(),
  messageZh: z.string(),
});

export const ScanView = VerifyResponse.extend({
  trace: ScanTrace.nullable(),
  flags: z.array(ScanFlag).openapi({ description: "Copied-code warnings: raised by this code's scans, or by markets offered more goods under it than it had left" }),
}).openapi("ScanView");

const LinkTarget = z.object({
  href: z.string(),
  title: z.string(),
  type: z.string().optional(),
  hreflang: z.array(z.string()).optional(),
  context: z.array(z.string()).optional(),
});

export const LinksetSchema = z
  .object({ linkset: z.array(z.object({ anchor: z.string(), itemDescription: z.string().optional() }).catchall(z.union([z.string(), z.array(LinkTarget)]))) })
  .openapi("Linkset", { description: "RFC 9264 linkset with GS1 link types as relation types" });

export const ScanQuery = z.object({
  linkType: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "`linkset` or `all` for the linkset; a GS1 link type (gs1:pip, gs1:certificationInfo, gs1:jws, gs1:traceability, gs1:recallStatus, gs1:defaultLink) to be redirected to it" }),
  lang: z.string().max(16).optional().openapi({ description: "Page language: zh (default) or en; otherwise Accept-Language decides" }),
});
