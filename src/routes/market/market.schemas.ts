import { z } from "@hono/zod-openapi";
import { MARKET_DECISIONS, RECEIPT_PROOFS } from "../../domain/market/receipt-rules";
import { PageQuery } from "../../http/openapi";
import { CreditCode, Phone, Quantity, ShortText, UnitField } from "../../http/validators";

export const CheckRequest = z
  .object({
    code: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters").openapi({
      example: "29FK-ATDW-5RY",
      description: "The certificate code as typed or scanned: any case, dashes and spaces allowed",
    }),
  })
  .openapi("GateCheckRequest");

const Reason = z.object({ code: z.string(), message: z.string() }).passthrough();

export const GateCheck = z
  .object({
    code: z.string(),
    displayCode: z.string().nullable(),
    genuine: z.boolean().openapi({ description: "Issued here, and its signature verifies" }),
    valid: z.boolean(),
    status: z.enum(["valid", "revoked", "recalled", "expired", "failed_test", "unknown"]),
    reasons: z.array(Reason),
    verdict: z.object({
      decision: z.enum(MARKET_DECISIONS).openapi({ description: "Suggested: accept (green), hold (amber), reject (red)" }),
      reasons: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
    }),
    certificateId: z.string().nullable(),
    product: z.object({ name: z.string(), category: z.string() }).nullable(),
    quantity: z.object({ amount: z.number(), unit: z.string() }).nullable(),
    received: z.number().nullable().openapi({ description: "Accepted and held at any market, in the certificate's unit" }),
    claimed: z.number().nullable().openapi({ description: "Collected under it by buyers whose certificates (样式二) name it" }),
    remaining: z.number().nullable().openapi({ description: "Left to receive across all markets: its quantity less what markets received and buyers claimed" }),
    issuer: z
      .object({ name: z.string(), creditCode: z.string().nullable(), phone: z.string(), regionCode: z.string(), regionName: z.string().nullable() })
      .nullable(),
    lot: z.object({ id: z.string(), code: z.string(), harvestedAt: z.string() }).nullable(),
    issueDate: z.string().nullable(),
    upstream: z
      .object({ count: z.number(), onPlatform: z.number(), external: z.number(), notValid: z.array(z.string()) })
      .nullable()
      .openapi({ description: "For certificates made from others (样式二); null otherwise. notValid: upstream certificates (any depth) revoked, recalled or failed" }),
    recalls: z
      .array(z.object({ recallId: z.string(), lotId: z.string(), reason: z.string(), recalledAt: z.string(), via: z.string().nullable() }))
      .openapi({ description: "Active recalls reaching the goods: on the lot or a lot it was made from (via null), or through the upstream certificate `via`" }),
    coldChain: z.object({
      handover: z
        .object({ flagged: z.boolean(), celsius: z.number(), at: z.string(), limitC: z.number().nullable(), reason: z.string().nullable() })
        .nullable(),
      openExcursions: z.number().int(),
    }),
  })
  .openapi("GateCheck");

const IdNumber = z
  .string()
  .trim()
  .regex(/^\d{17}[\dXx]$/, "must be an 18-character resident ID number")
  .openapi({ description: "A natural person's ID number; kept in the seller file, shown to regulators only" });

export const NewReceipt = z
  .object({
    code: z.string().trim().min(1).max(64).optional().openapi({ description: "Certificate code; omit for goods without one" }),
    rapidTestId: z.string().min(1).max(64).optional().openapi({ description: "A market_rapid test this market recorded (POST /v1/tests)" }),
    productName: ShortText(60).optional().openapi({ description: "Needed only when there is neither a certificate nor a rapid test" }),
    sellerName: ShortText(100),
    sellerCreditCode: CreditCode.optional(),
    sellerIdNumber: IdNumber.optional(),
    sellerPhone: Phone.optional(),
    quantity: Quantity,
    unit: UnitField,
    voucherNo: ShortText(60).optional().openapi({ description: "购货凭证号" }),
    decision: z.enum(MARKET_DECISIONS, { message: `must be one of ${MARKET_DECISIONS.join(", ")}` }),
    reason: ShortText(200).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.decision !== "accept" && r.reason === undefined) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: `is required when the decision is ${r.decision}` });
    }
    if (r.sellerCreditCode !== undefined && r.sellerIdNumber !== undefined) {
      ctx.addIssue({ code: "custom", path: ["sellerIdNumber"], message: "give a credit code (organisation) or an ID number (person), not both" });
    }
  })
  .openapi("NewReceipt");

export const Receipt = z
  .object({
    id: z.string(),
    marketId: z.string(),
    sellerId: z.string(),
    seller: z.object({ name: z.string(), creditCode: z.string().nullable(), phone: z.string().nullable() }),
    sellerIdNumber: z.string().nullable().optional().openapi({ description: "Regulators only" }),
    marketName: z.string().optional(),
    certificateCode: z.string().nullable(),
    displayCode: z.string().nullable(),
    rapidTestId: z.string().nullable(),
    lotId: z.string().nullable(),
    productName: z.string(),
    quantity: z.number(),
    unit: z.string(),
    certificateQuantity: z.number().nullable().openapi({ description: "The quantity in the certificate's unit" }),
    voucherNo: z.string().nullable(),
    decision: z.enum(MARKET_DECISIONS),
    reason: z.string().nullable(),
    proof: z.enum(RECEIPT_PROOFS),
    countsAgainstCertificate: z.boolean(),
    receivedAt: z.string(),
  })
  .openapi("Receipt");

const ChinaDate = z.iso.date({ message: "must be a date (YYYY-MM-DD)" });

export const LedgerRange = z.object({
  from: ChinaDate.optional().openapi({ description: "First day (China time), inclusive" }),
  to: ChinaDate.optional().openapi({ description: "Last day (China time), inclusive" }),
});

export const LedgerQuery = PageQuery.extend(LedgerRange.shape);

export const Seller = z
  .object({
    id: z.string(),
    marketId: z.string(),
    name: z.string(),
    creditCode: z.string().nullable(),
    phone: z.string().nullable(),
    hasIdNumber: z.boolean(),
    idNumber: z.string().nullable().optional().openapi({ description: "Regulators only" }),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
  })
  .openapi("Seller");

export const Flag = z
  .object({
    id: z.string(),
    kind: z.string(),
    marketId: z.string(),
    marketRegionCode: z.string(),
    originRegionCode: z.string().nullable(),
    certificateCode: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi("MarketFlag");
