import { and, eq, inArray, isNull } from "drizzle-orm";
import { type Principal, requireRole, ROLES } from "../../auth/principal";
import type { AppDeps } from "../../deps";
import { captureJobs, eventLots, events, lots } from "../../db/schema";
import type { EpcisEvent } from "../../domain/epcis";
import { validateEpcisDocument } from "../../domain/epcis/validate-document";
import { duplicateEventIds, prepareCapture, type PreparedEvent, unreadableTimes } from "../../domain/epcis/repository/prepare-capture";
import { uuidv7 } from "../../domain/ids";
import { ApiError } from "../../http/problem";
import { insertCapturedEvents } from "./insert-events";

export type CaptureJobRow = typeof captureJobs.$inferSelect;
export type ErrorBehaviour = "rollback" | "proceed";

/** Events per document (the GS1-EPCIS-Capture-Limit this repository announces). */
export const CAPTURE_LIMIT = 50_000;
/** Events per INSERT (and per eventID lookup): a few MB of JSON each. */
const CHUNK = 2000;

export function errorBehaviour(header: string | undefined): ErrorBehaviour {
  if (header === undefined || header === "rollback") return "rollback";
  if (header === "proceed") return "proceed";
  throw new ApiError(400, "capture-error-behaviour", "Unsupported GS1-Capture-Error-Behaviour", "GS1-Capture-Error-Behaviour must be rollback or proceed", {
    errors: [{ path: "GS1-Capture-Error-Behaviour", message: "must be rollback or proceed" }],
  });
}

/**
 * Captures an EPCIS 2.0 document (EPCISDocument or EPCISQueryDocument) for the calling party. A document the schema
 * rejects is refused whole with the schema's reasons. Otherwise the capture job is finished before this returns:
 * with `rollback` any event that cannot be captured stores none; with `proceed` the others are stored. An event sent
 * again (same CBV hash) is kept once; sent again with an errorDeclaration by the same party, the declaration is
 * added to the stored event, as the standard's error declaration works.
 */
export async function captureDocument(deps: AppDeps, principal: Principal | null, document: unknown, behaviour: ErrorBehaviour): Promise<CaptureJobRow> {
  const p = requireRole(principal, ROLES);
  const verdict = validateEpcisDocument(document);
  if (!verdict.valid) {
    throw new ApiError(400, "epcis-validation", "The document is not valid EPCIS 2.0", verdict.errors.map((e) => `${e.path || "(document)"}: ${e.message}`).join("; "), {
      type: "epcisException:ValidationException",
      errors: verdict.errors.map((e) => ({ path: e.path, message: e.message })),
    });
  }
  // PostgreSQL's jsonb cannot hold U+0000.
  if (JSON.stringify(document).includes("\\u0000")) {
    throw new ApiError(400, "epcis-validation", "The document is not valid EPCIS 2.0", "strings must not contain U+0000", {
      type: "epcisException:ValidationException",
      errors: [{ path: "", message: "strings must not contain U+0000" }],
    });
  }
  const prepared = prepareCapture(document as object);
  if (prepared.events.length > CAPTURE_LIMIT) {
    throw new ApiError(413, "capture-limit", "Too many events", `a capture takes at most ${CAPTURE_LIMIT} events; this document has ${prepared.events.length}`, {
      type: "epcisException:CaptureLimitExceededException",
    });
  }

  const clashes = [...duplicateEventIds(prepared.events), ...(await storedClashes(deps, p.partyId, prepared.events))].map((c) => ({
    index: c.index,
    type: "epcisException:ValidationException",
    title: "eventID already names another event",
    status: 409,
    detail: `event ${c.index} has eventID ${c.eventId}, which names a different event captured by the same party`,
  }));
  const badTimes = unreadableTimes(prepared.events).map((c) => ({
    index: c.index,
    type: "epcisException:ValidationException",
    title: "eventTime names no instant",
    status: 422,
    detail: `event ${c.index} has an eventTime that is no instant (a leap second)`,
  }));
  const problemsFound = [...clashes, ...badTimes].sort((a, b) => a.index - b.index);
  const refused = new Set(problemsFound.map((c) => c.index));
  const jobErrors = problemsFound.map(({ index, ...problem }) => ({ ...problem, instance: `/epcisBody/eventList/${index}` }));
  const now = deps.clock();
  const jobId = uuidv7(now, deps.randomBytes);
  const storing = behaviour === "rollback" && refused.size > 0 ? [] : uniqueByHash(prepared.events.filter((e) => !refused.has(e.index)));
  const job: CaptureJobRow = {
    id: jobId,
    partyId: p.partyId,
    keyId: p.keyId,
    errorBehaviour: behaviour,
    running: false,
    success: jobErrors.length === 0,
    eventCount: prepared.events.length,
    capturedCount: behaviour === "rollback" && refused.size > 0 ? 0 : prepared.events.length - refused.size,
    errors: jobErrors,
    createdAt: now,
    finishedAt: now,
  };

  await deps.db.transaction(async (tx) => {
    await tx.insert(captureJobs).values(job);
    const rows = storing.map((e) => eventRowOf(deps, e, prepared.context, p.partyId, jobId));
    for (let i = 0; i < rows.length; i += CHUNK) await insertCapturedEvents(tx, rows.slice(i, i + CHUNK));
    await linkOwnLots(deps, tx, p, storing);
  });
  return job;
}

/** eventIDs this party already gave to events with other content. */
async function storedClashes(deps: AppDeps, partyId: string | null, prepared: readonly PreparedEvent[]) {
  const given = prepared.filter((e) => e.eventId !== e.hashId);
  const clashes: { index: number; eventId: string }[] = [];
  for (let i = 0; i < given.length; i += CHUNK) {
    const chunk = given.slice(i, i + CHUNK);
    const stored = await deps.db
      .select({ eventId: events.eventId, hashId: events.hashId })
      .from(events)
      .where(
        and(
          inArray(
            events.eventId,
            chunk.map((e) => e.eventId),
          ),
          partyId === null ? isNull(events.capturedBy) : eq(events.capturedBy, partyId),
        ),
      );
    const hashes = new Map<string, Set<string>>();
    for (const s of stored) if (s.eventId !== null) hashes.set(s.eventId, (hashes.get(s.eventId) ?? new Set()).add(s.hashId));
    for (const e of chunk) {
      const known = hashes.get(e.eventId);
      if (known !== undefined && !known.has(e.hashId)) clashes.push({ index: e.index, eventId: e.eventId });
    }
  }
  return clashes;
}

function uniqueByHash(prepared: readonly PreparedEvent[]): PreparedEvent[] {
  const seen = new Set<string>();
  return prepared.filter((e) => (seen.has(e.hashId) ? false : (seen.add(e.hashId), true)));
}

function eventRowOf(deps: AppDeps, e: PreparedEvent, context: unknown[] | null, partyId: string | null, captureId: string): typeof events.$inferInsert {
  const list = <T>(key: string): T[] => {
    const value = e.event[key];
    return Array.isArray(value) ? (value as T[]) : [];
  };
  const certification = e.event["certificationInfo"];
  return {
    id: uuidv7(deps.clock(), deps.randomBytes),
    hashId: e.hashId,
    // Valid against the EPCIS schema, which is what the stored type describes.
    type: e.type as EpcisEvent["type"],
    action: e.action,
    bizStep: e.bizStep,
    disposition: e.disposition,
    eventTime: e.eventTime,
    eventTimeZoneOffset: e.eventTimeZoneOffset,
    readPoint: e.readPoint,
    bizLocation: e.bizLocation,
    recordedBy: null,
    sourceList: list("sourceList"),
    destinationList: list("destinationList"),
    quantityList: list("quantityList"),
    inputQuantityList: list("inputQuantityList"),
    outputQuantityList: list("outputQuantityList"),
    certificationInfo: typeof certification === "string" ? [certification] : list("certificationInfo"),
    event: e.event as object as EpcisEvent,
    recordTime: deps.clock(),
    eventId: e.eventId === e.hashId ? null : e.eventId,
    capturedBy: partyId,
    captureId,
    context,
    ...e.columns,
  };
}

type Tx = Parameters<Parameters<AppDeps["db"]["transaction"]>[0]>[0];

/**
 * Captured events that name the capturing party's own lots (by this service's lot IRIs) join those lots' event
 * history. Lots of other parties are left alone: a party cannot write into someone else's records.
 */
async function linkOwnLots(deps: AppDeps, tx: Tx, p: Principal, stored: readonly PreparedEvent[]) {
  const prefix = `${deps.publicUrl}/id/lot/`;
  const mentions: { hashId: string; lotId: string; role: "input" | "output" | "object" }[] = [];
  for (const e of stored) {
    const c = e.columns;
    const add = (ids: readonly (string | null)[], role: "input" | "output" | "object") => {
      for (const id of ids) if (id?.startsWith(prefix)) mentions.push({ hashId: e.hashId, lotId: id.slice(prefix.length), role });
    };
    add([...c.inputEpcs, ...c.inputEpcClasses], "input");
    add([...c.outputEpcs, ...c.outputEpcClasses], "output");
    add([...c.epcs, ...c.epcClasses, c.parentId], "object");
  }
  if (mentions.length === 0) return;
  const lotIds = [...new Set(mentions.map((m) => m.lotId))];
  const owned = await tx
    .select({ id: lots.id })
    .from(lots)
    .where(and(inArray(lots.id, lotIds), p.role === "admin" ? undefined : eq(lots.partyId, p.partyId ?? "")));
  const ownedIds = new Set(owned.map((l) => l.id));
  const hashes = [...new Set(mentions.filter((m) => ownedIds.has(m.lotId)).map((m) => m.hashId))];
  if (hashes.length === 0) return;
  const rows = await tx
    .select({ id: events.id, hashId: events.hashId })
    .from(events)
    .where(and(inArray(events.hashId, hashes), p.partyId === null ? isNull(events.capturedBy) : eq(events.capturedBy, p.partyId)));
  const idOf = new Map(rows.map((r) => [r.hashId, r.id]));
  const links = mentions.flatMap((m) => {
    const eventId = idOf.get(m.hashId);
    return eventId !== undefined && ownedIds.has(m.lotId) ? [{ lotId: m.lotId, eventId, role: m.role }] : [];
  });
  if (links.length > 0) await tx.insert(eventLots).values(links).onConflictDoNothing();
}

/** A capture job as its capturer (or an admin or regulator) may see it. */
export async function captureJob(deps: AppDeps, principal: Principal | null, id: string): Promise<CaptureJobRow> {
  const p = requireRole(principal, ROLES);
  const [job] = await deps.db
    .select()
    .from(captureJobs)
    .where(and(eq(captureJobs.id, id), p.role === "admin" || p.role === "regulator" ? undefined : p.partyId === null ? isNull(captureJobs.partyId) : eq(captureJobs.partyId, p.partyId)));
  if (job === undefined) throw new ApiError(404, "not-found", "Not found", `capture job ${id} was not found`, { type: "epcisException:NoSuchResourceException" });
  return job;
}

export function captureJobView(job: CaptureJobRow) {
  return {
    captureID: job.id,
    createdAt: job.createdAt.toISOString(),
    ...(job.finishedAt === null ? {} : { finishedAt: job.finishedAt.toISOString() }),
    running: job.running,
    success: job.success,
    captureErrorBehaviour: job.errorBehaviour,
    errors: job.errors,
    eventCount: job.eventCount,
    capturedCount: job.capturedCount,
  };
}

