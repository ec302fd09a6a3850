import { and, eq } from "drizzle-orm";
import { type Principal, requireParty } from "../auth/principal";
import type { AppDeps } from "../deps";
import { uuidv7 } from "../domain/ids";
import { lots, products, sites } from "../db/schema";
import { problems } from "../http/problem";
import { loadOwned, listOwned } from "./owned";
import { convertQuantity, roundQuantity } from "../domain/units";
import { chinaDate } from "../domain/ids";

export type SiteRow = typeof sites.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type LotRow = typeof lots.$inferSelect;

const OWNERS = ["producer", "buyer"] as const;

export const ownedSites = { table: sites, id: sites.id, partyId: sites.partyId };
export const ownedProducts = { table: products, id: products.id, partyId: products.partyId };
export const ownedLots = { table: lots, id: lots.id, partyId: lots.partyId };

export async function createSite(
  deps: AppDeps,
  principal: Principal | null,
  input: { name: string; regionCode: string; address?: string | undefined; lat?: number | undefined; lon?: number | undefined },
): Promise<SiteRow> {
  const p = requireParty(principal, OWNERS);
  const row: SiteRow = {
    id: uuidv7(deps.clock(), deps.randomBytes),
    partyId: p.partyId,
    name: input.name,
    regionCode: input.regionCode,
    address: input.address ?? null,
    lat: input.lat ?? null,
    lon: input.lon ?? null,
    createdAt: deps.clock(),
  };
  await deps.db.insert(sites).values(row);
  return row;
}

export async function createProduct(
  deps: AppDeps,
  principal: Principal | null,
  input: {
    name: string;
    category: string;
    gtin?: string | undefined;
    unit: string;
    storage?: { minC: number; maxC: number } | undefined;
  },
): Promise<ProductRow> {
  const p = requireParty(principal, OWNERS);
  const row: ProductRow = {
    id: uuidv7(deps.clock(), deps.randomBytes),
    partyId: p.partyId,
    name: input.name,
    category: input.category,
    gtin: input.gtin ?? null,
    unit: input.unit,
    storageMinC: input.storage?.minC ?? null,
    storageMaxC: input.storage?.maxC ?? null,
    createdAt: deps.clock(),
  };
  await deps.db.insert(products).values(row);
  return row;
}

export async function createLot(
  deps: AppDeps,
  principal: Principal | null,
  input: { productId: string; siteId?: string | undefined; quantity: number; unit: string; harvestedOn: string; code?: string | undefined },
): Promise<LotRow> {
  const p = requireParty(principal, OWNERS);
  const errors: { path: string; message: string }[] = [];
  const [product] = await deps.db
    .select()
    .from(products)
    .where(and(eq(products.id, input.productId), eq(products.partyId, p.partyId)));
  if (product === undefined) errors.push({ path: "productId", message: "is not one of your products" });
  if (input.siteId !== undefined) {
    const [site] = await deps.db.select({ id: sites.id }).from(sites).where(and(eq(sites.id, input.siteId), eq(sites.partyId, p.partyId)));
    if (site === undefined) errors.push({ path: "siteId", message: "is not one of your sites" });
  }
  if (product !== undefined && convertQuantity(1, input.unit, product.unit) === null) {
    errors.push({ path: "unit", message: `${input.unit} cannot be converted to the product's unit ${product.unit}` });
  }
  if (input.harvestedOn > chinaDate(deps.clock())) {
    errors.push({ path: "harvestedAt", message: `is in the future (today is ${chinaDate(deps.clock())} in China)` });
  }
  if (errors.length > 0) throw problems.validation(errors);
  const now = deps.clock();
  const id = uuidv7(now, deps.randomBytes);
  const row: LotRow = {
    id,
    partyId: p.partyId,
    productId: input.productId,
    siteId: input.siteId ?? null,
    code: input.code ?? defaultLotCode(input.harvestedOn, id),
    quantity: roundQuantity(input.quantity),
    unit: input.unit,
    certifiedQuantity: 0,
    harvestedOn: input.harvestedOn,
    createdAt: now,
  };
  const inserted = await deps.db.insert(lots).values(row).onConflictDoNothing().returning({ id: lots.id });
  if (inserted.length === 0) throw problems.conflict("duplicate-lot-code", `you already have a lot with code ${row.code}`);
  return row;
}

/** Harvest date plus the random tail of the id: readable on a crate, unique per producer in practice. */
function defaultLotCode(harvestedOn: string, id: string): string {
  return `${harvestedOn.replaceAll("-", "")}-${id.slice(-6).toUpperCase()}`;
}

export const getSite = (deps: AppDeps, p: Principal | null, id: string) => loadOwned<SiteRow>(deps, p, ownedSites, id, "site");
export const getProduct = (deps: AppDeps, p: Principal | null, id: string) => loadOwned<ProductRow>(deps, p, ownedProducts, id, "product");
export const getLot = (deps: AppDeps, p: Principal | null, id: string) => loadOwned<LotRow>(deps, p, ownedLots, id, "lot");
export const listSites = (deps: AppDeps, p: Principal | null, q: { limit: number; cursor?: string | undefined }) =>
  listOwned<SiteRow>(deps, p, ownedSites, q);
export const listProducts = (deps: AppDeps, p: Principal | null, q: { limit: number; cursor?: string | undefined }) =>
  listOwned<ProductRow>(deps, p, ownedProducts, q);
export const listLots = (deps: AppDeps, p: Principal | null, q: { limit: number; cursor?: string | undefined }) =>
  listOwned<LotRow>(deps, p, ownedLots, q);

export function siteView(row: SiteRow) {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

export function productView(row: ProductRow) {
  const { storageMinC, storageMaxC, ...rest } = row;
  return {
    ...rest,
    storage: storageMinC !== null && storageMaxC !== null ? { minC: storageMinC, maxC: storageMaxC } : null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function lotView(row: LotRow) {
  const { harvestedOn, ...rest } = row;
  return {
    ...rest,
    harvestedAt: harvestedOn,
    remainingQuantity: roundQuantity(row.quantity - row.certifiedQuantity),
    createdAt: row.createdAt.toISOString(),
  };
}
