import { z } from "@hono/zod-openapi";
import { DEFAULT_SIZE, MAX_BATCH_IDS, MAX_COPIES, SIZE_PRESETS } from "../../domain/printing";

const Size = z
  .enum(SIZE_PRESETS, { message: `must be one of ${SIZE_PRESETS.join(", ")}` })
  .default(DEFAULT_SIZE)
  .openapi({
    description:
      "label-60x80 (thermal label, one per page), label-100x70, a6, or a4 (a sheet of 3 × 3 labels of 62 × 90 mm with cut marks)",
  });

const Copies = z.coerce
  .number({ message: "must be a whole number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_COPIES, `must be at most ${MAX_COPIES}`);

const IssueDate = z.iso.date({ message: "must be a date (YYYY-MM-DD)" });

export const PdfQuery = z.object({
  size: Size,
  copies: Copies.optional().openapi({ description: `Labels to print, each marked 第 i / N 张 (1–${MAX_COPIES}); defaults to the certificate's copies` }),
});

export const QrQuery = z.object({
  scale: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(40, "must be at most 40").default(8).openapi({ description: "Pixels per module of the intrinsic size (the SVG scales freely)" }),
  margin: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(0, "must be at least 0").max(16, "must be at most 16").default(4).openapi({ description: "Quiet zone in modules; 4 is the QR standard's minimum" }),
});

const selection = {
  lotId: z.string().min(1).max(64).optional().openapi({ description: "Every valid certificate of this lot" }),
  from: IssueDate.optional().openapi({ description: "First issue date (China calendar); alone it means that one day" }),
  to: IssueDate.optional().openapi({ description: "Last issue date, inclusive" }),
  size: Size,
  copies: Copies.optional().openapi({ description: "Labels per certificate; each certificate's own copies when absent" }),
};

export const PrintRequest = z
  .object({
    certificateIds: z.array(z.string().min(1).max(64)).min(1, "must name at least one certificate").max(MAX_BATCH_IDS, `must name at most ${MAX_BATCH_IDS} certificates`).optional(),
    ...selection,
  })
  .refine((b) => b.certificateIds !== undefined || b.lotId !== undefined || b.from !== undefined || b.to !== undefined, {
    message: "name certificateIds, a lotId, or issue dates (from, to)",
    path: ["certificateIds"],
  })
  .refine((b) => b.certificateIds === undefined || (b.lotId === undefined && b.from === undefined && b.to === undefined), {
    message: "certificateIds cannot be combined with lotId or dates",
    path: ["certificateIds"],
  })
  .openapi("PrintRequest");

export const PrintQuery = z
  .object(selection)
  .refine((b) => b.lotId !== undefined || b.from !== undefined || b.to !== undefined, { message: "name a lotId or issue dates (from, to)", path: ["from"] });
