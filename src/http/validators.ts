import { z } from "@hono/zod-openapi";
import { normalizeGtin } from "../domain/gs1";
import { isKnownRegion } from "../domain/region";
import { checkUscc } from "../domain/uscc";
import { UNITS } from "../domain/units";

/** Field rules shared by several routes, each failing with a message that names the rule. */
export const RegionCode = z
  .string()
  .regex(/^\d{6}$/, "must be a 6-digit GB/T 2260 region code")
  .refine(isKnownRegion, "is not a known GB/T 2260 region code")
  .openapi({ example: "330726", description: "GB/T 2260 administrative division code" });

export const CreditCode = z
  .string()
  .transform((v, ctx) => {
    const r = checkUscc(v);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: `统一社会信用代码 ${r.message}` });
      return z.NEVER;
    }
    return r.code;
  })
  .openapi({ type: "string", example: "91330726MA2HXXXXXX", description: "统一社会信用代码 (GB 32100), check character validated" });

export const Gtin = z
  .string()
  .transform((v, ctx) => {
    const r = normalizeGtin(v.trim());
    if ("problem" in r) {
      ctx.addIssue({
        code: "custom",
        message: r.problem === "format" ? "GTIN must be 8, 12, 13 or 14 digits" : "GTIN check digit is wrong",
      });
      return z.NEVER;
    }
    return r.gtin14;
  })
  .openapi({ type: "string", example: "06901234567892", description: "GTIN-8/12/13/14; stored as 14 digits" });

export const Phone = z
  .string()
  .trim()
  .regex(/^(\+?86[- ]?)?(1\d{10}|0\d{2,3}-?\d{7,8})$/, "must be a mainland mobile (11 digits) or landline number")
  .openapi({ example: "13905791234" });

export const Quantity = z
  .number()
  .positive("must be greater than 0")
  .max(1e12, "must be below 1,000,000,000,000")
  .refine((v) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6, "may have at most 3 decimals")
  .openapi({ example: 500 });

export const UnitField = z.enum(UNITS, { message: `must be one of ${UNITS.join(", ")}` }).openapi({ example: "kg" });

export const ShortText = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
