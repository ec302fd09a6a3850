import { z } from "@hono/zod-openapi";
import { CHEMICAL_CLASSES, INPUT_KINDS } from "../../domain/production/reference";

const Name = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");
const DateOnly = z.iso.date({ message: "must be a date YYYY-MM-DD" });

const Interval = z.object({
  target: Name.openapi({ description: "Crop, crop group or animal species as in cropGroups" }),
  days: z.number().int("must be a whole number of days").min(0).max(3650),
  maxApplicationsPerSeason: z.number().int().min(1).nullable(),
  confirmed: z.boolean(),
  source: z.string().max(300),
  note: z.string().max(1000).nullable(),
});

/** The reference set as the rules read it; cross-references (crops, ingredients) are checked by validateReference. */
export const ReferenceDocument = z
  .object({
    version: z.string().trim().min(1).max(60),
    effectiveFrom: DateOnly,
    ingredients: z.array(z.object({ name: Name, nameEn: z.string().max(100).nullable(), chemicalClass: z.enum(CHEMICAL_CLASSES) })).max(5000).readonly(),
    products: z
      .array(
        z.object({
          id: z.string().trim().min(1).max(100),
          kind: z.enum(INPUT_KINDS),
          registrationNo: z.string().max(60).nullable(),
          name: Name,
          nameEn: z.string().max(100).nullable(),
          formulation: z.string().max(60).nullable(),
          activeIngredients: z.array(z.object({ name: Name, content: z.string().max(30).nullable() })).max(10).readonly(),
          intervals: z.array(Interval).max(500).readonly(),
        }),
      )
      .max(20_000)
      .readonly(),
    bans: z
      .array(
        z.object({
          ingredient: Name,
          scope: z.discriminatedUnion("kind", [z.object({ kind: z.literal("all") }), z.object({ kind: z.literal("targets"), targets: z.array(Name).max(200).readonly() })]),
          source: z.string().max(300),
          note: z.string().max(1000).nullable(),
        }),
      )
      .max(5000)
      .readonly(),
    mrls: z.array(z.object({ ingredient: Name, target: Name, mgPerKg: z.number().min(0), source: z.string().max(300) })).max(50_000).readonly(),
    cropGroups: z.record(z.string(), z.array(z.string()).readonly()),
    cropAliases: z.record(z.string(), z.string()),
  })
  .openapi("ReferenceDocument");

export const ReferenceVersion = z
  .object({
    seq: z.number().int(),
    version: z.string(),
    effectiveFrom: z.string(),
    source: z.enum(["seed", "json", "csv"]),
    note: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    document: ReferenceDocument,
  })
  .openapi("ReferenceVersion");

export const ReferenceVersionSummary = ReferenceVersion.omit({ document: true }).openapi("ReferenceVersionSummary");

export const NewReferenceVersion = z
  .object({ document: ReferenceDocument, note: z.string().max(500).optional() })
  .openapi("NewReferenceVersion");

export const CsvImportQuery = z.object({
  version: z.string().trim().min(1).max(60).optional().openapi({ description: "Name of the new version; default <current>+csv.<timestamp>" }),
  effectiveFrom: DateOnly.optional().openapi({ description: "Default: today in China" }),
  note: z.string().max(500).optional(),
});
