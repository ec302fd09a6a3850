import { sql } from "drizzle-orm";
import type { JWK } from "jose";
import {
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  date,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { PartyKind, Role } from "../auth/principal";
import type { Basis, CertificateContent, TemplateVersion } from "../domain/certificate";

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
  },
  (t) => [
    uniqueIndex("certificates_code_key").on(t.code),
    uniqueIndex("certificates_idempotency_key").on(t.partyId, t.idempotencyKey),
    index("certificates_party_idx").on(t.partyId, t.id),
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
