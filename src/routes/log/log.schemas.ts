import { z } from "@hono/zod-openapi";

const index = (description: string) => z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({ type: "integer", description });

export const Base64Hash = z.string().openapi({ description: "32-byte SHA-256 hash, standard base64" });

export const LogInfo = z
  .object({
    origin: z.string().openapi({ description: "The checkpoints' origin line and the name of the key that signs them" }),
    verifierKey: z.string().openapi({ description: "C2SP note verifier key: <name>+<key id>+<base64(0x01 ‖ Ed25519 public key)>" }),
    size: z.number().int().openapi({ description: "Leaves in the log now (may be ahead of the newest checkpoint)" }),
    checkpoint: z.string().nullable().openapi({ description: "The newest signed checkpoint (C2SP tlog-checkpoint as a signed note)" }),
  })
  .openapi("LogInfo");

export const InclusionQuery = z
  .object({
    leaf: index("Leaf index").optional(),
    certificate: z.string().min(1).max(64).optional().openapi({ description: "A certificate code: the leaf recording its issue" }),
    size: index("Tree size to prove against; default: the newest checkpoint that covers the leaf").optional(),
  })
  .refine((q) => (q.leaf === undefined) !== (q.certificate === undefined), { message: "give exactly one of leaf or certificate", path: ["leaf"] });

export const InclusionProof = z
  .object({
    leafIndex: z.number().int(),
    treeSize: z.number().int(),
    leafData: z.string().openapi({ description: "The leaf's bytes as UTF-8 text: one line of JSON (see the README's leaf format)" }),
    leafHash: Base64Hash,
    inclusionProof: z.array(Base64Hash).openapi({ description: "RFC 9162 audit path, leaf side first" }),
    checkpoint: z.string().nullable().openapi({ description: "The signed checkpoint of treeSize, when one was published at that size" }),
  })
  .openapi("InclusionProof");

export const ConsistencyQuery = z.object({
  from: index("The older tree size"),
  to: index("The newer tree size; default: the newest checkpoint's").optional(),
});

export const ConsistencyProof = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    consistencyProof: z.array(Base64Hash).openapi({ description: "RFC 9162 consistency proof" }),
    checkpoint: z.string().nullable().openapi({ description: "The signed checkpoint of `to`, when one was published at that size" }),
  })
  .openapi("ConsistencyProof");

export const LEAVES_PAGE_MAX = 1000;

export const LeavesQuery = z.object({
  start: index("First leaf index"),
  end: index(`One past the last leaf index; at most start + ${LEAVES_PAGE_MAX}, default start + 100`).optional(),
});

export const LogLeaf = z.object({ index: z.number().int(), data: z.string(), leafHash: Base64Hash }).openapi("LogLeaf");

export const LeavesPage = z
  .object({
    start: z.number().int(),
    end: z.number().int(),
    leaves: z.array(LogLeaf),
    next: z.number().int().nullable().openapi({ description: "start of the next page, null at the end of the log" }),
  })
  .openapi("LogLeaves");

/** What verify and the certificate JSON carry about the certificate's place in the log. */
export const LogEvidenceSchema = z
  .object({
    leafIndex: z.number().int().openapi({ description: "The leaf recording the certificate's issue" }),
    leafData: z.string(),
    treeSize: z.number().int().nullable().openapi({ description: "Size of the checkpoint the proof leads to; null until one covers the leaf" }),
    inclusionProof: z.array(Base64Hash).nullable(),
    checkpoint: z.string().nullable().openapi({ description: "Signed checkpoint (C2SP tlog-checkpoint, Ed25519 signed note) of treeSize" }),
  })
  .openapi("LogEvidence");
