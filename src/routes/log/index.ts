import { createRoute, z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { requireRole } from "../../auth/principal";
import { encodeBase64 } from "../../domain/merkle/base64";
import { formatVerifierKey } from "../../domain/merkle";
import { errorResponses, jsonContent, publicErrorResponses } from "../../http/openapi";
import { ApiError, problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { logIdentity } from "../../signing/log-identity";
import {
  checkpointCovering,
  checkpointOfSize,
  consistencyProofBetween,
  inclusionProofAt,
  issueLeafOf,
  latestCheckpoint,
  leafAt,
  leavesBetween,
  logSize,
  publishCheckpoint,
} from "../../services/transparency-log";
import {
  ConsistencyProof,
  ConsistencyQuery,
  InclusionProof,
  InclusionQuery,
  LEAVES_PAGE_MAX,
  LeavesPage,
  LeavesQuery,
  LogInfo,
} from "./log.schemas";

const tags = ["Transparency log"];
const text = (description: string) => ({ description, content: { "text/plain": { schema: z.string() } } });
const NO_STORE = { "cache-control": "no-store", "access-control-allow-origin": "*" };

function logNotStarted() {
  return new ApiError(404, "log-not-started", "Not found", "the transparency log has no key yet: the origin server creates it on first start");
}

export const logRouter = createRouter();
logRouter.use("/v1/log/*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"] }));

logRouter.openapi(
  createRoute({
    method: "get",
    path: "/v1/log",
    tags,
    summary: "The log's origin, public key, size and newest checkpoint",
    responses: { 200: jsonContent(LogInfo, "About the log"), ...publicErrorResponses },
  }),
  async (c) => {
    const deps = c.get("deps");
    const identity = await logIdentity(deps.db, deps.logSigner);
    if (identity === null) throw logNotStarted();
    const [size, checkpoint] = await Promise.all([logSize(deps.db), latestCheckpoint(deps.db)]);
    return c.json({ origin: identity.origin, verifierKey: formatVerifierKey(identity.verifierKey), size, checkpoint: checkpoint?.note ?? null }, 200, NO_STORE);
  },
);

logRouter.openapi(
  createRoute({
    method: "get",
    path: "/v1/log/key",
    tags,
    summary: "The log's note verifier key (C2SP signed-note), to configure in monitors and verifiers",
    responses: { 200: text("`<origin>+<key id>+<base64 key>`"), ...publicErrorResponses },
  }),
  async (c) => {
    const deps = c.get("deps");
    const identity = await logIdentity(deps.db, deps.logSigner);
    if (identity === null) throw logNotStarted();
    return c.text(`${formatVerifierKey(identity.verifierKey)}\n`, 200, { "cache-control": "public, max-age=3600", "access-control-allow-origin": "*" });
  },
);

logRouter.openapi(
  createRoute({
    method: "get",
    path: "/v1/log/checkpoint",
    tags,
    summary: "The newest signed checkpoint (C2SP tlog-checkpoint, Ed25519 signed note)",
    description: "Published every minute while the log grows, and on demand when a proof needs one.",
    responses: { 200: text("The signed note"), ...publicErrorResponses },
  }),
  async (c) => {
    const deps = c.get("deps");
    const checkpoint = (await latestCheckpoint(deps.db)) ?? (await publishCheckpoint(deps));
    if (checkpoint === null) throw logNotStarted();
    return c.text(checkpoint.note, 200, NO_STORE);
  },
);

logRouter.openapi(
  createRoute({
    method: "post",
    path: "/v1/log/checkpoint",
    tags,
    summary: "Sign and publish a checkpoint of the log as it stands now (admins)",
    security: [{ bearer: [] }],
    responses: {
      200: text("The signed note"),
      ...errorResponses,
      503: { description: "This node holds no log key (the edge)", content: errorResponses[404].content },
    },
  }),
  async (c) => {
    const deps = c.get("deps");
    requireRole(c.get("principal"), ["admin"]);
    if (deps.logSigner === undefined) throw new ApiError(503, "log-signing-unavailable", "Checkpoints are signed on the origin server", "this node holds no log key");
    const checkpoint = await publishCheckpoint(deps);
    if (checkpoint === null) throw logNotStarted();
    return c.text(checkpoint.note, 200, NO_STORE);
  },
);

logRouter.openapi(
  createRoute({
    method: "get",
    path: "/v1/log/proof/inclusion",
    tags,
    summary: "Proof that a leaf (or a certificate's issue) is in the tree of a given size",
    request: { query: InclusionQuery },
    responses: { 200: jsonContent(InclusionProof, "The leaf and its audit path"), ...publicErrorResponses },
  }),
  async (c) => {
    const deps = c.get("deps");
    const q = c.req.valid("query");
    let leaf;
    if (q.certificate !== undefined) {
      const normalized = deps.codeScheme.normalize(q.certificate);
      if (!normalized.ok) throw problems.validation([{ path: "query.certificate", message: normalized.message }]);
      leaf = await issueLeafOf(deps.db, normalized.code);
      if (leaf === null) throw problems.notFound(`a log leaf for certificate ${q.certificate}`);
    } else {
      leaf = await leafAt(deps.db, q.leaf!);
      if (leaf === null) throw problems.notFound(`leaf ${q.leaf}`);
    }
    let size: number | undefined = q.size;
    let checkpoint: string | null = null;
    if (size === undefined) {
      const covering = await checkpointCovering(deps, leaf.index);
      if (covering === null) throw new ApiError(404, "no-checkpoint-yet", "Not found", `no checkpoint covers leaf ${leaf.index} yet; ask again after the next one is published`);
      size = covering.size;
      checkpoint = covering.note;
    } else {
      const current = await logSize(deps.db);
      if (size <= leaf.index || size > current) {
        throw problems.validation([{ path: "query.size", message: `must be more than the leaf index ${leaf.index} and at most the log size ${current}` }]);
      }
    }
    const [proof, stored] = await Promise.all([
      inclusionProofAt(deps.db, leaf.index, size),
      checkpoint === null ? checkpointOfSize(deps.db, size) : null,
    ]);
    checkpoint ??= stored?.note ?? null;
    return c.json(
      { leafIndex: leaf.index, treeSize: size, leafData: leaf.data, leafHash: encodeBase64(leaf.leafHash), inclusionProof: proof.map(encodeBase64), checkpoint },
      200,
      NO_STORE,
    );
  },
);

logRouter.openapi(
  createRoute({
    method: "get",
    path: "/v1/log/proof/consistency",
    tags,
    summary: "Proof that the tree of size `from` is a prefix of the tree of size `to`",
    request: { query: ConsistencyQuery },
    responses: { 200: jsonContent(ConsistencyProof, "The consistency proof"), ...publicErrorResponses },
  }),
  async (c) => {
    const deps = c.get("deps");
    const q = c.req.valid("query");
    let to = q.to;
    let checkpoint: string | null = null;
    if (to === undefined) {
      const latest = await latestCheckpoint(deps.db);
      if (latest === null) throw logNotStarted();
      to = latest.size;
      checkpoint = latest.note;
    } else {
      const current = await logSize(deps.db);
      if (to > current) throw problems.validation([{ path: "query.to", message: `must be at most the log size ${current}` }]);
      checkpoint = (await checkpointOfSize(deps.db, to))?.note ?? null;
    }
    if (q.from > to) throw problems.validation([{ path: "query.from", message: `must be at most to (${to})` }]);
    const proof = await consistencyProofBetween(deps.db, q.from, to);
    return c.json({ from: q.from, to, consistencyProof: proof.map(encodeBase64), checkpoint }, 200, NO_STORE);
  },
);

logRouter.openapi(
  createRoute({
    method: "get",
    path: "/v1/log/leaves",
    tags,
    summary: "The leaves' data, in index order, a page at a time",
    request: { query: LeavesQuery },
    responses: { 200: jsonContent(LeavesPage, "The leaves [start, end)"), ...publicErrorResponses },
  }),
  async (c) => {
    const deps = c.get("deps");
    const q = c.req.valid("query");
    const end = q.end ?? q.start + 100;
    if (end < q.start || end - q.start > LEAVES_PAGE_MAX) {
      throw problems.validation([{ path: "query.end", message: `must be between start and start + ${LEAVES_PAGE_MAX}` }]);
    }
    const size = await logSize(deps.db);
    const stop = Math.min(end, size);
    const leaves = stop > q.start ? await leavesBetween(deps.db, q.start, stop) : [];
    return c.json(
      {
        start: q.start,
        end: Math.max(stop, q.start),
        leaves: leaves.map((l) => ({ index: l.index, data: l.data, leafHash: encodeBase64(l.leafHash) })),
        next: stop < size ? stop : null,
      },
      200,
      // Leaves never change once written.
      { "access-control-allow-origin": "*", "cache-control": stop === end ? "public, max-age=86400, immutable" : "no-store" },
    );
  },
);
