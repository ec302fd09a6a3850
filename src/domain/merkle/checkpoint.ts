import { decodeBase64, encodeBase64 } from "./base64";
import { isMerkleHash, type MerkleHash } from "./hash";
import { isNoteSafe } from "./note-text";

/** A C2SP tlog-checkpoint: the log's identity and its tree head at one size. */
export interface Checkpoint {
  /** Names the log, e.g. "lotproof.example/log"; the log signs with a key of the same name. */
  readonly origin: string;
  readonly size: number;
  readonly rootHash: MerkleHash;
  /** Opaque trailing lines. The spec advises against them because monitors cannot audit them. */
  readonly extensions: readonly string[];
}

export type CheckpointProblem = "characters" | "line_structure" | "size" | "root_hash";

export type CheckpointParse =
  | { ok: true; checkpoint: Checkpoint }
  | { ok: false; problem: CheckpointProblem; message: string };

const DECIMAL_WITHOUT_LEADING_ZEROS = /^(?:0|[1-9][0-9]*)$/;

function isLine(text: string): boolean {
  return text.length > 0 && !text.includes("\n") && isNoteSafe(text);
}

/** The note text of a checkpoint. Throws on a value that could not be parsed back, which is a caller bug. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  if (!isLine(origin)) throw new RangeError("origin must be one non-empty line of printable text");
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`tree size must be a non-negative safe integer, got ${size}`);
  if (!isMerkleHash(rootHash)) throw new RangeError("root hash must be 32 bytes");
  if (!extensions.every(isLine)) throw new RangeError("extension lines must each be one non-empty line of printable text");
  return [origin, String(size), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join("");
}

function failure(problem: CheckpointProblem, message: string): CheckpointParse {
  return { ok: false, problem, message };
}

/** Strict parse of checkpoint note text (already taken out of its signed note and verified). */
export function parseCheckpoint(text: string): CheckpointParse {
  if (!isNoteSafe(text)) return failure("characters", "a checkpoint must be UTF-8 without control characters other than newline");
  if (!text.endsWith("\n")) return failure("line_structure", "a checkpoint must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === undefined || sizeText === undefined || rootText === undefined) {
    return failure("line_structure", `a checkpoint has at least 3 lines, got ${lines.length}`);
  }
  if (lines.some((line) => line.length === 0)) return failure("line_structure", "checkpoint lines must not be empty");
  if (!DECIMAL_WITHOUT_LEADING_ZEROS.test(sizeText)) {
    return failure("size", `tree size must be decimal without leading zeros, got "${sizeText}"`);
  }
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return failure("size", `tree size ${sizeText} is beyond 2^53 − 1`);
  const rootHash = decodeBase64(rootText);
  if (rootHash === undefined || !isMerkleHash(rootHash)) {
    return failure("root_hash", "root hash must be the standard base64 encoding of 32 bytes");
  }
  return { ok: true, checkpoint: { origin, size, rootHash, extensions } };
}
