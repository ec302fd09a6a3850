import { sql } from "drizzle-orm";
import type { JWK } from "jose";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  date,
  uniqueIndex,
  unique,
} from "drizzle-orm/pg-core";
import type { PartyKind, Role } from "../auth/principal";
import type { Basis, CertificateContent, TemplateVersion } from "../domain/certificate";
import type { ReferenceSet } from "../domain/production/reference";
import type { LotTest, TestKind, TestMethod } from "../domain/production/test-record";
import type { AnalyteVerdict, Outcome } from "../domain/production/test-verdicts";
import type { AttachmentType, ProductionRecordData, ProductionRecordKind, TestResultInput, TestSample } from "../domain/production/stored-records";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull();
const quantity = (name: string) => numeric(name, { precision: 16, scale: 3, mode: "number" });

export const parties = pgTable(
  "parties",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<PartyKind>().notNull(),
    name: text("name").notNull(),
    creditCode: text("credit_code"),
    /** A natural person's ID number: shown to regulators only, never on public pages or exports. */
    idNumber: text("id_number"),
    contactName: text("contact_name"),
    phone: text("phone").notNull(),
    regionCode: text("region_code").notNull(),
    address: text("address"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("parties_credit_code_key").on(t.creditCode), index("parties_region_idx").on(t.regionCode)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    /** Null for the bootstrap admin, which belongs to no party. */
    partyId: text("party_id").references(() => parties.id),
    role: text("role").$type<Role>().notNull(),
    /** SHA-256 of the secret: keys are long random strings, so a fast hash is enough and lookups stay cheap. */
    secretHash: text("secret_hash").notNull(),
    prefix: text("prefix").notNull(),
    label: text("label"),
    createdAt: createdAt(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_key").on(t.secretHash), index("api_keys_party_idx").on(t.partyId)],
);

export const sites = pgTable(
  "sites",
  {
    id: text("id").primaryKey(),
    partyId: text("party_id")
      .notNull()
      .references(() => parties.id),
    name: text("name").notNull(),
    regionCode: text("region_code").notNull(),
    address: text("address"),
    lat: doublePrecision("lat"),
    lon: doublePrecision("lon"),
    createdAt: createdAt(),
  },
  (t) => [index("sites_party_idx").on(t.partyId, t.id)],
);

export const products = pgTable(
  "products",
  {
    id: text("id").primaryKey(),
    partyId: text("party_id")
      .notNull()
      .references(() => parties.id),
    name: text("name").notNull(),
    category: text("category").notNull(),
    gtin: text("gtin"),
    unit: text("unit").notNull(),
    storageMinC: doublePrecision("storage_min_c"),
    storageMaxC: doublePrecision("storage_max_c"),
    createdAt: createdAt(),
  },
  (t) => [index("products_party_idx").on(t.partyId, t.id), index("products_gtin_idx").on(t.gtin)],
);

export const lots = pgTable(
  "lots",
  {
    id: text("id").primaryKey(),
    partyId: text("party_id")
      .notNull()
      .references(() => parties.id),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    siteId: text("site_id").references(() => sites.id),
    code: text("code").notNull(),
    quantity: quantity("quantity").notNull(),
    unit: text("unit").notNull(),
    /** Sum of live certificates' quantities in the lot's unit; updated in the same statement that checks it. */
    certifiedQuantity: quantity("certified_quantity").notNull().default(0),
    harvestedOn: date("harvested_on", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("lots_party_code_key").on(t.partyId, t.code),
    index("lots_party_idx").on(t.partyId, t.id),
    check("lots_quantity_positive", sql`${t.quantity} > 0`),
    check("lots_certified_within_quantity", sql`${t.certifiedQuantity} >= 0 AND ${t.certifiedQuantity} <= ${t.quantity}`),
  ],
);

export const certificates = pgTable(
  "certificates",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    partyId: text("party_id")
      .notNull()
      .references(() => parties.id),
    lotId: text("lot_id")
      .notNull()
      .references(() => lots.id),
    templateVersion: text("template_version").$type<TemplateVersion>().notNull(),
    basis: text("basis").$type<Basis>().notNull(),
    quantity: quantity("quantity").notNull(),
    unit: text("unit").notNull(),
    /** Quantity in the lot's unit, so revoking gives back exactly what issuing took. */
    lotQuantity: quantity("lot_quantity").notNull(),
    copies: integer("copies").notNull().default(1),
    content: jsonb("content").$type<CertificateContent>().notNull(),
    jwt: text("jwt").notNull(),
    kid: text("kid").notNull(),
    status: text("status").$type<"valid" | "revoked">().notNull().default("valid"),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    revokeReason: text("revoke_reason"),
    revokedBy: text("revoked_by"),
    idempotencyKey: text("idempotency_key"),
    issuedAt: timestamp("issued_at", { withTimezone: true, mode: "date" }).notNull(),
    /**
     * Where the certificate sits in the status lists: bit `status_index` of list `status_list`, in both the
     * revocation and the suspension list, as its token says (null only for certificates older than the lists). The
     * unique index is what guarantees no two certificates share a bit.
     */
    statusList: integer("status_list"),
    statusIndex: integer("status_index"),
  },
  (t) => [
    uniqueIndex("certificates_code_key").on(t.code),
    uniqueIndex("certificates_status_place_key").on(t.statusList, t.statusIndex),
    check(
      "certificates_status_place_in_list",
      sql`(${t.statusList} IS NULL) = (${t.statusIndex} IS NULL) AND ${t.statusIndex} >= 0 AND ${t.statusIndex} < 131072 AND ${t.statusList} >= 0`,
    ),
    // Partial: most certificates carry no key, and those rows need no entry (NULLs never conflict anyway).
    uniqueIndex("certificates_idempotency_key").on(t.partyId, t.idempotencyKey).where(sql`${t.idempotencyKey} IS NOT NULL`),
    index("certificates_party_idx").on(t.partyId, t.id),
    // Also INCLUDE (code), which drizzle cannot express: see migrations/0014_certificates_lot_code_index.sql.
    index("certificates_lot_idx").on(t.lotId),
    check("certificates_status_known", sql`${t.status} IN ('valid', 'revoked')`),
  ],
);

export const signingKeys = pgTable("signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  publicJwk: jsonb("public_jwk").$type<JWK>().notNull(),
  /** AES-256-GCM sealed private JWK when KEY_ENCRYPTION_KEY is set; null when the key lives in DATA_DIR/keys. */
  sealedPrivateJwk: text("sealed_private_jwk"),
  createdAt: createdAt(),
  retiredAt: timestamp("retired_at", { withTimezone: true, mode: "date" }),
});

// ── Production records, reference data and tests (issue 5) ─────────────────────────────────────────────────────

/**
 * One reference set (products, intervals, bans, crop map) per version, kept whole as a document: the gate reads it
 * as one value and caches it by version, and edits never change what an earlier certificate was checked against.
 */
export const referenceVersions = pgTable(
  "reference_versions",
  {
    seq: integer("seq").primaryKey().generatedAlwaysAsIdentity(),
    version: text("version").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    document: jsonb("document").$type<ReferenceSet>().notNull(),
    source: text("source").$type<"seed" | "json" | "csv">().notNull(),
    note: text("note"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("reference_versions_version_key").on(t.version)],
);

/**
 * 肥药两制 records: input applications and harvests. Never updated: a correction is a new row that `corrects` the
 * latest version of the same chain (`rootId`), and the unique index keeps every chain a single line.
 */
export const productionRecords = pgTable(
  "production_records",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<ProductionRecordKind>().notNull(),
    partyId: text("party_id")
      .notNull()
      .references(() => parties.id),
    siteId: text("site_id").references(() => sites.id),
    lotId: text("lot_id").references(() => lots.id),
    /** Application date or harvest date, in China time. */
    occurredOn: date("occurred_on", { mode: "string" }).notNull(),
    data: jsonb("data").$type<ProductionRecordData>().notNull(),
    rootId: text("root_id").notNull(),
    corrects: text("corrects").references((): AnyPgColumn => productionRecords.id),
    retracted: boolean("retracted").notNull().default(false),
    correctionReason: text("correction_reason"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("production_records_corrects_key").on(t.corrects),
    index("production_records_party_root_idx").on(t.partyId, t.kind, t.rootId),
    index("production_records_lot_idx").on(t.lotId),
    index("production_records_site_idx").on(t.siteId, t.occurredOn),
    check("production_records_kind_known", sql`${t.kind} IN ('application', 'harvest')`),
    check("production_records_placed", sql`${t.siteId} IS NOT NULL OR ${t.lotId} IS NOT NULL`),
  ],
);

/** Tests (检测) on a lot, with the verdict computed when recorded; `record` is the rule engine's view of the test. */
export const lotTests = pgTable(
  "lot_tests",
  {
    id: text("id").primaryKey(),
    lotId: text("lot_id")
      .notNull()
      .references(() => lots.id),
    /** Owner of the lot, kept here so access checks need no join. */
    lotPartyId: text("lot_party_id")
      .notNull()
      .references(() => parties.id),
    /** The party that recorded it (lab, market, regulator, producer); null for an admin. */
    recordedBy: text("recorded_by").references(() => parties.id),
    recordedByKey: text("recorded_by_key").notNull(),
    kind: text("kind").$type<TestKind>().notNull(),
    method: text("method").$type<TestMethod>().notNull(),
    testedAt: timestamp("tested_at", { withTimezone: true, mode: "date" }).notNull(),
    lab: text("lab"),
    reportNo: text("report_no"),
    retestOf: text("retest_of").references((): AnyPgColumn => lotTests.id),
    operator: text("operator"),
    sample: jsonb("sample").$type<TestSample>(),
    results: jsonb("results").$type<TestResultInput[]>().notNull(),
    record: jsonb("record").$type<LotTest>().notNull(),
    verdict: text("verdict").$type<Outcome>().notNull(),
    analyteVerdicts: jsonb("analyte_verdicts").$type<AnalyteVerdict[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("lot_tests_lot_idx").on(t.lotId, t.id),
    index("lot_tests_party_idx").on(t.lotPartyId, t.id),
    index("lot_tests_recorder_idx").on(t.recordedBy, t.id),
    // Verify asks "has this lot any failing test?" on every scan: a small partial index answers it.
    index("lot_tests_failed_idx").on(t.lotId).where(sql`${t.verdict} = 'fail'`),
    check("lot_tests_verdict_known", sql`${t.verdict} IN ('pass', 'fail', 'undetermined')`),
  ],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/** An evidence file kept in the database, as services/uploaded-files.ts accepts it (test reports, certificate photos). */
const storedFileColumns = () => ({
  contentType: text("content_type").$type<AttachmentType>().notNull(),
  filename: text("filename"),
  size: integer("size").notNull(),
  sha256: text("sha256").notNull(),
  bytes: bytea("bytes").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: createdAt(),
});

/** Photos and report files, kept with the test record (size-limited and type-checked on upload). */
export const testAttachments = pgTable(
  "test_attachments",
  {
    id: text("id").primaryKey(),
    testId: text("test_id")
      .notNull()
      .references(() => lotTests.id),
    ...storedFileColumns(),
  },
  (t) => [index("test_attachments_test_idx").on(t.testId, t.id)],
);

// ── Cold chain (issue 6, item 5) ───────────────────────────────────────────────────────────────────────────────

/**
 * One logger's readings for one subject: a lot, or a party's shipment not yet tied to lots. Readings refer to a
 * small integer stream id rather than repeating lot and logger text, which keeps the readings table narrow and
 * bulk inserts fast. `subject` is `lot:<lotId>` or `shipment:<partyId>:<ref>`.
 */
export const coldChainStreams = pgTable(
  "cold_chain_streams",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    subject: text("subject").notNull(),
    lotId: text("lot_id").references(() => lots.id),
    shipmentRef: text("shipment_ref"),
    /** The party that first sent readings for it; owner of a shipment stream. */
    partyId: text("party_id").references(() => parties.id),
    loggerId: text("logger_id").notNull(),
    createdAt: createdAt(),
    /** Readings stored for it, counted as they are stored: the stamp a lot set's saved series is checked against. */
    readings: integer("readings").notNull().default(0),
  },
  (t) => [
    uniqueIndex("cold_chain_streams_subject_logger_key").on(t.subject, t.loggerId),
    index("cold_chain_streams_lot_idx").on(t.lotId),
    check("cold_chain_streams_has_subject", sql`${t.lotId} IS NOT NULL OR ${t.shipmentRef} IS NOT NULL`),
  ],
);

/** Temperature readings; a re-sent reading (same stream and instant) is ignored by the unique index. */
export const coldChainReadings = pgTable(
  "cold_chain_readings",
  {
    streamId: integer("stream_id")
      .notNull()
      .references(() => coldChainStreams.id),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    celsius: doublePrecision("celsius").notNull(),
  },
  (t) => [uniqueIndex("cold_chain_readings_stream_at_key").on(t.streamId, t.at)],
);

/**
 * The thinned series of a set of lots' readings, saved by the first read after readings arrive: a chart over thousands
 * of readings is then read, not recomputed, on every scan. `stamp` names each stream of the lots with its reading count
 * when the series was made; a series whose stamp no longer matches is made again.
 */
export const coldChainSeries = pgTable("cold_chain_series", {
  /** SHA-256 (hex) of the lots' ids, sorted and joined by commas: a lineage may hold hundreds of lots. */
  lotSet: text("lot_set").primaryKey(),
  stamp: text("stamp").notNull(),
  readings: integer("readings").notNull(),
  min: doublePrecision("min"),
  max: doublePrecision("max"),
  first: doublePrecision("first"),
  last: doublePrecision("last"),
  /** JSON text: [lowC, lowAt, highC, highAt] per stretch. */
  points: text("points"),
});

/** Excursions found in a stream, recomputed on every ingest; kept open until a corrective action and a decision. */
export const coldChainExcursions = pgTable(
  "cold_chain_excursions",
  {
    id: text("id").primaryKey(),
    streamId: integer("stream_id")
      .notNull()
      .references(() => coldChainStreams.id),
    lotId: text("lot_id")
      .notNull()
      .references(() => lots.id),
    kind: text("kind").$type<"out_of_range" | "not_recovered">().notNull(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true, mode: "date" }).notNull(),
    peakC: doublePrecision("peak_c").notNull(),
    maxDeviationC: doublePrecision("max_deviation_c").notNull(),
    readings: integer("readings").notNull(),
    includesGap: boolean("includes_gap").notNull(),
    /** `void`: later readings no longer support it (kept, with its actions, for the record). */
    status: text("status").$type<"open" | "closed" | "void">().notNull(),
    disposition: text("disposition").$type<"released" | "rejected">(),
    /** Last time readings changed its extent; actions before this do not close it. */
    revisedAt: timestamp("revised_at", { withTimezone: true, mode: "date" }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("cold_chain_excursions_lot_idx").on(t.lotId, t.startedAt),
    index("cold_chain_excursions_stream_idx").on(t.streamId, t.startedAt),
    check("cold_chain_excursions_kind_known", sql`${t.kind} IN ('out_of_range', 'not_recovered')`),
    check("cold_chain_excursions_status_known", sql`${t.status} IN ('open', 'closed', 'void')`),
  ],
);

export const coldChainExcursionActions = pgTable(
  "cold_chain_excursion_actions",
  {
    id: text("id").primaryKey(),
    excursionId: text("excursion_id")
      .notNull()
      .references(() => coldChainExcursions.id),
    action: text("action").$type<"corrective" | "release" | "reject">().notNull(),
    note: text("note").notNull(),
    /** Null for an admin. */
    partyId: text("party_id").references(() => parties.id),
    keyId: text("key_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("cold_chain_excursion_actions_excursion_idx").on(t.excursionId, t.createdAt),
    check("cold_chain_excursion_actions_known", sql`${t.action} IN ('corrective', 'release', 'reject')`),
  ],
);

// ── Lot genealogy, custody and EPCIS events (issue 6, item 1) ──────────────────────────────────────────────────
// Kept as its own import so this block stays self-contained.
import { primaryKey } from "drizzle-orm/pg-core";
import type { EpcisEvent, QuantityElement, Destination, Source } from "../domain/epcis/model";
import type { LinkKind } from "../domain/genealogy/operations";

/**
 * Every genealogy and custody change as an EPCIS 2.0 event. `event` is the whole event as built (and as exported);
 * the columns beside it are what queries filter on. `hash_id` is the CBV 2.0 event hash: the same event sent twice
 * is stored once.
 */
export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    hashId: text("hash_id").notNull(),
    type: text("type").$type<EpcisEvent["type"]>().notNull(),
    action: text("action"),
    bizStep: text("biz_step"),
    disposition: text("disposition"),
    eventTime: timestamp("event_time", { withTimezone: true, mode: "date" }).notNull(),
    eventTimeZoneOffset: text("event_time_zone_offset").notNull(),
    readPoint: text("read_point"),
    bizLocation: text("biz_location"),
    /** The party whose action the event records; null for events captured from elsewhere. */
    recordedBy: text("recorded_by").references(() => parties.id),
    sourceList: jsonb("source_list").$type<Source[]>().notNull().default([]),
    destinationList: jsonb("destination_list").$type<Destination[]>().notNull().default([]),
    quantityList: jsonb("quantity_list").$type<QuantityElement[]>().notNull().default([]),
    inputQuantityList: jsonb("input_quantity_list").$type<QuantityElement[]>().notNull().default([]),
    outputQuantityList: jsonb("output_quantity_list").$type<QuantityElement[]>().notNull().default([]),
    certificationInfo: jsonb("certification_info").$type<string[]>().notNull().default([]),
    event: jsonb("event").$type<EpcisEvent>().notNull(),
    recordTime: timestamp("record_time", { withTimezone: true, mode: "date" }).notNull(),
    // EPCIS repository columns (migration 0012_epcis_repository): see the section at the end of this file.
    /** The eventID as captured; null means the hash id is the eventID (the platform's own events). */
    eventId: text("event_id"),
    /** The party whose key captured the event through POST /capture; null for the platform's own events and admins. */
    capturedBy: text("captured_by").references(() => parties.id),
    captureId: text("capture_id"),
    /** The captured document's @context beyond the standard one, so the event's extension prefixes export as captured. */
    context: jsonb("context").$type<unknown[]>(),
    epcs: text("epcs").array().notNull().default(sql`'{}'::text[]`),
    parentId: text("parent_id"),
    inputEpcs: text("input_epcs").array().notNull().default(sql`'{}'::text[]`),
    outputEpcs: text("output_epcs").array().notNull().default(sql`'{}'::text[]`),
    epcClasses: text("epc_classes").array().notNull().default(sql`'{}'::text[]`),
    inputEpcClasses: text("input_epc_classes").array().notNull().default(sql`'{}'::text[]`),
    outputEpcClasses: text("output_epc_classes").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    // The same content is one event per capturer: a party re-sending it is idempotent, and an event another party
    // captured first neither hides this party's copy nor is reachable through it. The platform's own are one namespace.
    unique("events_hash_id_key").on(t.hashId, t.capturedBy).nullsNotDistinct(),
    index("events_event_id_idx").on(t.eventId),
    index("events_captured_by_idx").on(t.capturedBy, t.id),
    index("events_record_time_idx").on(t.recordTime),
    index("events_epcs_idx").using("gin", t.epcs),
    index("events_input_epcs_idx").using("gin", t.inputEpcs),
    index("events_output_epcs_idx").using("gin", t.outputEpcs),
    index("events_epc_classes_idx").using("gin", t.epcClasses),
    index("events_input_epc_classes_idx").using("gin", t.inputEpcClasses),
    index("events_output_epc_classes_idx").using("gin", t.outputEpcClasses),
    index("events_parent_id_idx").on(t.parentId),
    index("events_recorded_by_idx").on(t.recordedBy, t.id),
    index("events_biz_step_time_idx").on(t.bizStep, t.eventTime),
    index("events_time_idx").on(t.eventTime),
  ],
);

/** Which lots an event is about, so a lot's history is one index range. */
export const eventLots = pgTable(
  "event_lots",
  {
    lotId: text("lot_id")
      .notNull()
      .references(() => lots.id),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    role: text("role").$type<"input" | "output" | "object">().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.lotId, t.eventId] }),
    index("event_lots_event_idx").on(t.eventId),
    check("event_lots_role_known", sql`${t.role} IN ('input', 'output', 'object')`),
  ],
);

/**
 * The genealogy graph: one edge per parent and child, `quantity` in the parent's unit (what the parent gave). A
 * child is made by exactly one event, so (parent, child) is the key; the key serves walks down and the reverse
 * index walks up, both as index-only scans, which is what recursive traces over millions of edges need.
 */
export const lotLinks = pgTable(
  "lot_links",
  {
    parentLotId: text("parent_lot_id")
      .notNull()
      .references(() => lots.id),
    childLotId: text("child_lot_id")
      .notNull()
      .references(() => lots.id),
    quantity: quantity("quantity").notNull(),
    kind: text("kind").$type<LinkKind>().notNull(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.parentLotId, t.childLotId] }),
    index("lot_links_child_parent_idx").on(t.childLotId, t.parentLotId),
    index("lot_links_event_idx").on(t.eventId),
    check("lot_links_kind_known", sql`${t.kind} IN ('split', 'merge', 'repack', 'transform', 'transfer')`),
    check("lot_links_quantity_nonnegative", sql`${t.quantity} >= 0`),
    check("lot_links_not_self", sql`${t.parentLotId} <> ${t.childLotId}`),
  ],
);

/**
 * How much of a lot has left it, into children or shipped away. Kept by the database (migration 0005_genealogy_consumption: triggers on
 * lot_links and shipments), and the check refuses the statement that would take more than the lot holds, so
 * concurrent splits and shipments cannot over-consume. A row appears on a lot's first use, or when the lot is made
 * here (carrying the declared weight of one package for lots counted in 箱 and the like).
 */
export const lotBalances = pgTable(
  "lot_balances",
  {
    lotId: text("lot_id")
      .primaryKey()
      .references(() => lots.id),
    /** A copy of the lot's quantity (lots never change quantity), so the bound is a plain row check. */
    quantity: quantity("quantity").notNull(),
    consumedQuantity: quantity("consumed_quantity").notNull().default(0),
    packageWeightKg: quantity("package_weight_kg"),
  },
  (t) => [
    check("lot_balances_consumed_within_quantity", sql`${t.consumedQuantity} >= 0 AND ${t.consumedQuantity} <= ${t.quantity}`),
    check("lot_balances_package_weight_positive", sql`${t.packageWeightKg} IS NULL OR ${t.packageWeightKg} > 0`),
  ],
);

/** Goods handed from one party to another: pending until the receiver records their arrival as a lot of its own. */
export const shipments = pgTable(
  "shipments",
  {
    id: text("id").primaryKey(),
    lotId: text("lot_id")
      .notNull()
      .references(() => lots.id),
    fromPartyId: text("from_party_id")
      .notNull()
      .references(() => parties.id),
    fromSiteId: text("from_site_id").references(() => sites.id),
    toPartyId: text("to_party_id")
      .notNull()
      .references(() => parties.id),
    toSiteId: text("to_site_id").references(() => sites.id),
    quantity: quantity("quantity").notNull(),
    unit: text("unit").notNull(),
    /** What leaves the shipped lot, in its unit: taken by the database when the row is inserted. */
    lotQuantity: quantity("lot_quantity").notNull(),
    status: text("status").$type<"pending" | "received">().notNull().default("pending"),
    shippedAt: timestamp("shipped_at", { withTimezone: true, mode: "date" }).notNull(),
    shipEventId: text("ship_event_id")
      .notNull()
      .references(() => events.id),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }),
    receiveEventId: text("receive_event_id").references(() => events.id),
    receivedLotId: text("received_lot_id").references(() => lots.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("shipments_ship_event_key").on(t.shipEventId),
    index("shipments_from_idx").on(t.fromPartyId, t.id),
    index("shipments_to_idx").on(t.toPartyId, t.status, t.id),
    index("shipments_lot_idx").on(t.lotId),
    index("shipments_received_lot_idx").on(t.receivedLotId),
    check("shipments_status_known", sql`${t.status} IN ('pending', 'received')`),
    check("shipments_quantity_positive", sql`${t.quantity} > 0 AND ${t.lotQuantity} > 0`),
  ],
);

// ── Regulator's desk: recalls and cases (issue 7, items 2–3) ──────────────────────────────────────────────────
import type { CaseStage, CaseStep } from "../domain/cases/state-machine";

/**
 * A recall of a lot and everything made from it. The affected lots are not copied here: verify walks a
 * certificate's ancestors and finds the recall, so lots made from a recalled lot after the recall are recalled too,
 * and recalling a hub lot costs one row. Lifting sets `lifted_*`; rows are never deleted.
 */
export const recalls = pgTable(
  "recalls",
  {
    id: text("id").primaryKey(),
    lotId: text("lot_id")
      .notNull()
      .references(() => lots.id),
    /** Region of the lot's owner when recalled: what regulators' listings filter on. */
    regionCode: text("region_code").notNull(),
    reason: text("reason").notNull(),
    scope: text("scope").$type<"lot_and_descendants">().notNull(),
    status: text("status").$type<"active" | "lifted">().notNull().default("active"),
    recalledAt: timestamp("recalled_at", { withTimezone: true, mode: "date" }).notNull(),
    recalledBy: text("recalled_by").references(() => parties.id),
    recalledByKey: text("recalled_by_key").notNull(),
    /** Counts at the moment of the recall, kept so the record shows what was stopped then. */
    affectedLots: integer("affected_lots").notNull(),
    affectedCertificates: integer("affected_certificates").notNull(),
    liftedAt: timestamp("lifted_at", { withTimezone: true, mode: "date" }),
    liftReason: text("lift_reason"),
    liftedBy: text("lifted_by").references(() => parties.id),
    liftedByKey: text("lifted_by_key"),
    createdAt: createdAt(),
  },
  (t) => [
    // Verify asks "is any of these lots under an active recall?" on every scan: a partial index answers it.
    index("recalls_active_lot_idx").on(t.lotId).where(sql`${t.status} = 'active'`),
    index("recalls_lot_idx").on(t.lotId, t.recalledAt),
    index("recalls_region_idx").on(t.regionCode, t.id),
    check("recalls_status_known", sql`${t.status} IN ('active', 'lifted')`),
    check("recalls_scope_known", sql`${t.scope} IN ('lot_and_descendants')`),
    check("recalls_lift_complete", sql`(${t.status} = 'active') = (${t.liftedAt} IS NULL)`),
  ],
);

/** A 不合格处置 case: opened from a failed test or a flag, moved through its steps until 结案. */
export const cases = pgTable(
  "cases",
  {
    id: text("id").primaryKey(),
    lotId: text("lot_id")
      .notNull()
      .references(() => lots.id),
    /** Region of the lot's owner: the district that handles the case. */
    regionCode: text("region_code").notNull(),
    source: text("source").$type<"failed_test" | "flag">().notNull(),
    testId: text("test_id").references(() => lotTests.id),
    /** A copied-code flag raised elsewhere (market gate); kept as an opaque reference. */
    flagId: text("flag_id"),
    stage: text("stage").$type<CaseStage>().notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true, mode: "date" }).notNull(),
    openedBy: text("opened_by_key").notNull(),
    /** When the next step is due; null once closed. */
    dueAt: timestamp("due_at", { withTimezone: true, mode: "date" }),
    closedAt: timestamp("closed_at", { withTimezone: true, mode: "date" }),
    summary: text("summary"),
    createdAt: createdAt(),
  },
  (t) => [
    // One case per failed test or flag, so the automatic hook and a manual open cannot both open one.
    uniqueIndex("cases_test_key").on(t.testId),
    uniqueIndex("cases_flag_key").on(t.flagId),
    index("cases_region_idx").on(t.regionCode, t.id),
    index("cases_due_idx").on(t.dueAt).where(sql`${t.closedAt} IS NULL`),
    check("cases_source_known", sql`${t.source} IN ('failed_test', 'flag')`),
    check("cases_source_ref", sql`(${t.source} = 'failed_test' AND ${t.testId} IS NOT NULL) OR (${t.source} = 'flag' AND ${t.flagId} IS NOT NULL)`),
    check("cases_stage_known", sql`${t.stage} IN ('open', 'verified', 'filed', 'not_filed', 'penalized', 'not_penalized', 'closed')`),
  ],
);

/** Each step taken on a case, in order; never updated. */
export const caseSteps = pgTable(
  "case_steps",
  {
    id: text("id").primaryKey(),
    caseId: text("case_id")
      .notNull()
      .references(() => cases.id),
    seq: integer("seq").notNull(),
    step: text("step").$type<CaseStep>().notNull(),
    /** The day the step was taken (China date), as the officer records it. */
    on: date("on", { mode: "string" }).notNull(),
    officer: text("officer").notNull(),
    documents: jsonb("documents").$type<string[]>().notNull().default([]),
    note: text("note"),
    /** When the following step is due. */
    nextDeadline: date("next_deadline", { mode: "string" }),
    recordedBy: text("recorded_by").references(() => parties.id),
    recordedByKey: text("recorded_by_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // Two officers recording the same case's next step at once: one wins, the other gets a 409.
    uniqueIndex("case_steps_case_seq_key").on(t.caseId, t.seq),
    check("case_steps_step_known", sql`${t.step} IN ('verify', 'file', 'decline_filing', 'penalize', 'decline_penalty', 'close')`),
  ],
);

// ── Market gate: receipts (进货台账), seller files and flags (issue 6, items 3–4) ───────────────────────────────
import type { MarketDecision, ReceiptProof, MarketFlagKind } from "../domain/market/receipt-rules";

/**
 * A market's file on one seller (供货者档案), upserted on every receipt. `identity` is what makes two receipts the
 * same seller: the credit code, else the ID number, else the name and phone. The ID number is shown to regulators
 * only. `last_seen_at` is what the six-month retention after the seller stops trading runs from.
 */
export const marketSellers = pgTable(
  "market_sellers",
  {
    id: text("id").primaryKey(),
    marketId: text("market_id")
      .notNull()
      .references(() => parties.id),
    identity: text("identity").notNull(),
    name: text("name").notNull(),
    creditCode: text("credit_code"),
    idNumber: text("id_number"),
    phone: text("phone"),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true, mode: "date" }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [uniqueIndex("market_sellers_identity_key").on(t.marketId, t.identity)],
);

/**
 * One goods receipt at a market gate. Rows are never updated by the service; the quantity counted against a
 * certificate (`certificate_quantity`, in the certificate's unit) is added to `certificate_receipts` by a trigger
 * (migration receipts_within_quantity), whose check refuses the statement that would receive more than was certified.
 */
export const marketReceipts = pgTable(
  "market_receipts",
  {
    id: text("id").primaryKey(),
    marketId: text("market_id")
      .notNull()
      .references(() => parties.id),
    sellerId: text("seller_id")
      .notNull()
      .references(() => marketSellers.id),
    /** The seller as recorded on the day (the seller file keeps the latest). The ID number lives in the file only. */
    sellerName: text("seller_name").notNull(),
    sellerCreditCode: text("seller_credit_code"),
    sellerPhone: text("seller_phone"),
    certificateId: text("certificate_id").references(() => certificates.id),
    certificateCode: text("certificate_code"),
    rapidTestId: text("rapid_test_id").references(() => lotTests.id),
    lotId: text("lot_id").references(() => lots.id),
    productName: text("product_name").notNull(),
    quantity: quantity("quantity").notNull(),
    unit: text("unit").notNull(),
    /** `quantity` in the certificate's unit; what the receipt takes from the certificate when it counts. */
    certificateQuantity: quantity("certificate_quantity"),
    voucherNo: text("voucher_no"),
    decision: text("decision").$type<MarketDecision>().notNull(),
    reason: text("reason"),
    proof: text("proof").$type<ReceiptProof>().notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull(),
    recordedByKey: text("recorded_by_key").notNull(),
  },
  (t) => [
    index("market_receipts_market_idx").on(t.marketId, t.receivedAt, t.id),
    index("market_receipts_certificate_idx").on(t.certificateId),
    index("market_receipts_seller_idx").on(t.sellerId),
    check("market_receipts_decision_known", sql`${t.decision} IN ('accept', 'hold', 'reject')`),
    check("market_receipts_reason_given", sql`${t.decision} = 'accept' OR ${t.reason} IS NOT NULL`),
    check("market_receipts_proof_known", sql`${t.proof} IN ('certificate', 'rapid_test', 'none')`),
    check(
      "market_receipts_proof_matches",
      sql`(${t.proof} = 'certificate') = (${t.certificateId} IS NOT NULL) AND (${t.proof} <> 'rapid_test' OR ${t.rapidTestId} IS NOT NULL)`,
    ),
    check("market_receipts_accept_has_proof", sql`${t.decision} <> 'accept' OR ${t.proof} <> 'none'`),
    check("market_receipts_quantity_positive", sql`${t.quantity} > 0`),
    check("market_receipts_certificate_quantity", sql`(${t.certificateId} IS NULL) = (${t.certificateQuantity} IS NULL)`),
  ],
);

/**
 * How much of each certificate markets have received, across all markets, kept by the database (trigger on
 * market_receipts). The check is the guarantee: concurrent clerks serialise on this row, and the one that would go
 * past the certificate's quantity has its INSERT refused.
 */
export const certificateReceipts = pgTable(
  "certificate_receipts",
  {
    certificateId: text("certificate_id")
      .primaryKey()
      .references(() => certificates.id),
    /** A copy of the certificate's quantity (certificates never change quantity), so the bound is a row check. */
    quantity: quantity("quantity").notNull(),
    receivedQuantity: quantity("received_quantity").notNull().default(0),
  },
  (t) => [check("certificate_receipts_within_quantity", sql`${t.receivedQuantity} >= 0 AND ${t.receivedQuantity} <= ${t.quantity}`)],
);

/** Something a gate saw that regulators should look at, e.g. a certificate presented for more than it covers. */
export const marketFlags = pgTable(
  "market_flags",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<MarketFlagKind>().notNull(),
    marketId: text("market_id")
      .notNull()
      .references(() => parties.id),
    /** The market's region and the certificate issuer's region: regulators of either see the flag. */
    marketRegionCode: text("market_region_code").notNull(),
    originRegionCode: text("origin_region_code"),
    certificateId: text("certificate_id").references(() => certificates.id),
    certificateCode: text("certificate_code"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull(),
    recordedByKey: text("recorded_by_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("market_flags_market_region_idx").on(t.marketRegionCode, t.id),
    index("market_flags_origin_region_idx").on(t.originRegionCode, t.id),
    index("market_flags_certificate_idx").on(t.certificateId),
    check("market_flags_kind_known", sql`${t.kind} IN ('quantity_exceeded')`),
  ],
);

/** Browser sessions of the gate page: the cookie carries a random id, stored here only as its SHA-256. */
export const marketSessions = pgTable(
  "market_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("market_sessions_key_idx").on(t.keyId)],
);

// ── Scans of certificate codes and copied-code flags (issue 3, item 6) ──────────────────────────────────────────
import type { ScanAgent, ScanFlagKind } from "../domain/scans";

/**
 * One scan of a certificate's code. The place is what the edge (Cloudflare's request.cf) or a trusted proxy header
 * says, coarsened (region and city names, coordinates to 0.1°); no address or IP is kept, only a daily visitor hash.
 */
export const scans = pgTable(
  "scans",
  {
    id: text("id").primaryKey(),
    certificateId: text("certificate_id")
      .notNull()
      .references(() => certificates.id),
    scannedAt: timestamp("scanned_at", { withTimezone: true, mode: "date" }).notNull(),
    country: text("country"),
    region: text("region"),
    city: text("city"),
    lat: doublePrecision("lat"),
    lon: doublePrecision("lon"),
    agent: text("agent").$type<ScanAgent>().notNull(),
    /** The visitor: a salted hash of the client's address and browser, its salt changed daily (http/client-id.ts). */
    client: text("client"),
  },
  (t) => [index("scans_certificate_idx").on(t.certificateId, t.scannedAt)],
);

/** A certificate whose scans look like a copied code; raised once per kind, with the case opened for it. */
export const scanFlags = pgTable(
  "scan_flags",
  {
    id: text("id").primaryKey(),
    certificateId: text("certificate_id")
      .notNull()
      .references(() => certificates.id),
    kind: text("kind").$type<ScanFlagKind>().notNull(),
    /** Region of the certificate's issuer: the district whose regulator handles the case. */
    regionCode: text("region_code").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull(),
    caseId: text("case_id").references(() => cases.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("scan_flags_certificate_kind_key").on(t.certificateId, t.kind),
    index("scan_flags_region_idx").on(t.regionCode, t.id),
    check("scan_flags_kind_known", sql`${t.kind} IN ('impossible_travel', 'many_regions', 'excess_scans')`),
  ],
);

/** Scans by people (bots left out) per certificate, kept with each batch of scans so no count reads the scans. */
export const scanTotals = pgTable("scan_totals", {
  certificateId: text("certificate_id")
    .primaryKey()
    .references(() => certificates.id),
  people: integer("people").notNull().default(0),
  /** The same scans with a visitor who came back the same day counted once (scans of unknown clients each count). */
  visits: integer("visits").notNull().default(0),
});

/**
 * Scans by people per certificate and place, kept with each batch of scans, so the page lists its places without
 * reading the scans: a popular code costs no more than a new one. An unknown name is '' here (a key has no nulls);
 * a place name is never empty (domain/scans/place.ts).
 */
export const scanPlaces = pgTable(
  "scan_places",
  {
    certificateId: text("certificate_id")
      .notNull()
      .references(() => certificates.id),
    country: text("country").notNull(),
    region: text("region").notNull(),
    city: text("city").notNull(),
    people: integer("people").notNull(),
  },
  (t) => [primaryKey({ columns: [t.certificateId, t.country, t.region, t.city] })],
);

/** The visitors who have scanned each certificate; a new row is a new visit for scan_totals.visits. */
export const scanVisitors = pgTable(
  "scan_visitors",
  {
    certificateId: text("certificate_id")
      .notNull()
      .references(() => certificates.id),
    client: text("client").notNull(),
  },
  (t) => [primaryKey({ columns: [t.certificateId, t.client] })],
);

// ── Buyers' certificates (样式二): upstream references and claimed quantities (issue 6, item 2) ───────────────────
import type { UpstreamKind } from "../domain/upstream/references";

/**
 * Photos of paper certificates a buyer collected, uploaded before the buyer's certificate that names them. The bytes
 * are checked and kept as test attachments are; the certificate signs the photo's SHA-256.
 */
export const upstreamPhotos = pgTable(
  "upstream_photos",
  {
    id: text("id").primaryKey(),
    partyId: text("party_id")
      .notNull()
      .references(() => parties.id),
    ...storedFileColumns(),
  },
  (t) => [index("upstream_photos_party_idx").on(t.partyId, t.id)],
);

/**
 * The certificates a buyer's certificate names, in the order given. An entry names a certificate issued here
 * (`upstream_certificate_id`, with what it claims in that certificate's unit), another platform's code, or a paper
 * certificate's number and photo. Rows are never updated.
 */
export const certificateUpstream = pgTable(
  "certificate_upstream",
  {
    certificateId: text("certificate_id")
      .notNull()
      .references(() => certificates.id),
    position: integer("position").notNull(),
    kind: text("kind").$type<UpstreamKind>().notNull(),
    upstreamCertificateId: text("upstream_certificate_id").references(() => certificates.id),
    quantity: quantity("quantity").notNull(),
    unit: text("unit").notNull(),
    /** `quantity` in the upstream certificate's unit: what the trigger reserves in certificate_claims. */
    claimQuantity: quantity("claim_quantity"),
    platform: text("platform"),
    externalCode: text("external_code"),
    paperNumber: text("paper_number"),
    photoId: text("photo_id").references(() => upstreamPhotos.id),
  },
  (t) => [
    primaryKey({ columns: [t.certificateId, t.position] }),
    index("certificate_upstream_upstream_idx").on(t.upstreamCertificateId),
    check("certificate_upstream_kind_known", sql`${t.kind} IN ('certificate', 'other_platform', 'paper')`),
    check(
      "certificate_upstream_kind_fields",
      sql`(${t.kind} = 'certificate' AND ${t.upstreamCertificateId} IS NOT NULL AND ${t.claimQuantity} IS NOT NULL)
        OR (${t.kind} = 'other_platform' AND ${t.platform} IS NOT NULL AND ${t.externalCode} IS NOT NULL)
        OR (${t.kind} = 'paper' AND ${t.paperNumber} IS NOT NULL AND ${t.photoId} IS NOT NULL)`,
    ),
    check("certificate_upstream_quantity_positive", sql`${t.quantity} > 0 AND (${t.claimQuantity} IS NULL OR ${t.claimQuantity} > 0)`),
  ],
);

/**
 * How much of each certificate buyers' certificates have claimed, kept by the database (triggers on
 * certificate_upstream and on revoking the claiming certificate). The check is the guarantee: concurrent buyers
 * queue on this row, and the statement that would claim past the certificate's quantity is refused.
 */
export const certificateClaims = pgTable(
  "certificate_claims",
  {
    certificateId: text("certificate_id")
      .primaryKey()
      .references(() => certificates.id),
    /** A copy of the certificate's quantity (certificates never change quantity), so the bound is a row check. */
    quantity: quantity("quantity").notNull(),
    claimedQuantity: quantity("claimed_quantity").notNull().default(0),
  },
  (t) => [check("certificate_claims_within_quantity", sql`${t.claimedQuantity} >= 0 AND ${t.claimedQuantity} <= ${t.quantity}`)],
);

// ── Status lists and offline gate receipts (issue 8, items 3–4) ─────────────────────────────────────────────────
import { pgSequence } from "drizzle-orm/pg-core";

/** Hands out places in the status lists in blocks of 64 (see services/status-lists.ts); never reused. */
export const statusListSequence = pgSequence("status_list_sequence", { increment: 64, minValue: 0, startWith: 0 });

/**
 * Idempotency keys of receipts sent by gate devices (the offline queue retries until it hears back): the same key
 * from the same market answers with the receipt it first made. Stored in the receipt's transaction.
 */
export const marketReceiptKeys = pgTable(
  "market_receipt_keys",
  {
    marketId: text("market_id")
      .notNull()
      .references(() => parties.id),
    idempotencyKey: text("idempotency_key").notNull(),
    receiptId: text("receipt_id")
      .notNull()
      .references(() => marketReceipts.id),
    /** SHA-256 of the request body: a key reused for a different receipt is refused rather than answered wrongly. */
    requestHash: text("request_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "market_receipt_keys_pkey", columns: [t.marketId, t.idempotencyKey] })],
);

// ── EPCIS 2.0 repository: capture jobs (issue 7, item 5) ─────────────────────────────────────────────────────────
// Captured events live in `events` above, beside the platform's own; this is the record of each POST /capture.

/**
 * One POST /capture, as the REST binding's capture job reports it. Capture runs while the request waits, so a job is
 * stored finished; `errors` are RFC 9457 problems, one per event that could not be captured.
 */
export const captureJobs = pgTable(
  "capture_jobs",
  {
    id: text("id").primaryKey(),
    /** Null for the bootstrap admin. */
    partyId: text("party_id").references(() => parties.id),
    keyId: text("key_id").notNull(),
    errorBehaviour: text("error_behaviour").$type<"rollback" | "proceed">().notNull(),
    running: boolean("running").notNull().default(false),
    success: boolean("success").notNull(),
    eventCount: integer("event_count").notNull(),
    capturedCount: integer("captured_count").notNull(),
    errors: jsonb("errors").$type<Record<string, unknown>[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("capture_jobs_party_idx").on(t.partyId, t.id),
    check("capture_jobs_error_behaviour_known", sql`${t.errorBehaviour} IN ('rollback', 'proceed')`),
  ],
);

// ── Transparency log (issue 8) ───────────────────────────────────────────────────────────────────────────────────
// Written by the triggers of migration 0010 only; the application reads these tables and never changes them.

/** The log's size: the single row whose lock orders appends, so leaf indexes have no gaps. */
export const logHead = pgTable("log_head", {
  id: smallint("id").primaryKey().default(1),
  size: bigint("size", { mode: "number" }).notNull().default(0),
});

/** One leaf per logged change; `data` holds the exact bytes that were hashed (see domain/log-leaf.ts). */
export const logLeaves = pgTable(
  "log_leaves",
  {
    idx: bigint("idx", { mode: "number" }).primaryKey(),
    type: text("type").notNull(),
    certificateCode: text("certificate_code"),
    data: text("data").notNull(),
    leafHash: bytea("leaf_hash").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    loggedAt: timestamp("logged_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("log_leaves_certificate_idx").on(t.certificateCode, t.idx).where(sql`${t.certificateCode} IS NOT NULL`)],
);

/** Hash of every complete subtree of 2^level leaves starting at leaf position × 2^level (level ≥ 1). */
export const logNodes = pgTable(
  "log_nodes",
  {
    level: smallint("level").notNull(),
    position: bigint("position", { mode: "number" }).notNull(),
    hash: bytea("hash").notNull(),
  },
  (t) => [primaryKey({ name: "log_nodes_pkey", columns: [t.level, t.position] })],
);

/** Every checkpoint the log signed, as published (C2SP signed note). */
export const logCheckpoints = pgTable("log_checkpoints", {
  size: bigint("size", { mode: "number" }).primaryKey(),
  rootHash: bytea("root_hash").notNull(),
  note: text("note").notNull(),
  signedAt: timestamp("signed_at", { withTimezone: true, mode: "date" }).notNull(),
});

/** The log's Ed25519 note key: public half for every runtime, private half in the same vault as the signing keys. */
export const logKeys = pgTable(
  "log_keys",
  {
    keyName: text("key_name").notNull(),
    keyId: bigint("key_id", { mode: "number" }).notNull(),
    publicKey: bytea("public_key").notNull(),
    sealedPrivateJwk: text("sealed_private_jwk"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ name: "log_keys_pkey", columns: [t.keyName, t.keyId] })],
);

/** A signing key marked compromised from `compromisedAt`: certificates it signed from then on fail verification. */
export const signingKeyCompromises = pgTable("signing_key_compromises", {
  kid: text("kid")
    .primaryKey()
    .references(() => signingKeys.kid),
  compromisedAt: timestamp("compromised_at", { withTimezone: true, mode: "date" }).notNull(),
  reason: text("reason").notNull(),
  recordedAt: timestamp("recorded_at", { withTimezone: true, mode: "date" }).notNull(),
  recordedByKey: text("recorded_by_key").notNull(),
});
