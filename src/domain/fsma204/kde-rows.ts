/**
 * FSMA 204 (21 CFR 1 subpart S) key data elements per critical tracking event, as the rows of the electronic sortable
 * spreadsheet FDA may ask for within 24 hours. Built from a trace of lots, shipments and genealogy edges; only lots
 * the reader may see in full give rows.
 */

/** Column headings, in order: the KDE names of 21 CFR 1.1325–1.1350 as FDA's sortable spreadsheet words them. */
export const FSMA204_COLUMNS = [
  "Critical Tracking Event (CTE)",
  "Traceability Lot Code (TLC)",
  "Product Description",
  "Quantity",
  "Unit of Measure",
  "Event Date",
  "Location Description (where the event took place)",
  "Traceability Lot Code Source Location Description",
  "Immediate Previous Source (Ship-From) Location Description",
  "Ship-To (Receiving) Location Description",
  "Harvest Date",
  "Input Traceability Lot Codes",
  "Reference Document Type",
  "Reference Document Number",
  "Internal Lot Code",
] as const;

export type CriticalTrackingEvent = "Harvesting" | "Cooling" | "Initial Packing" | "First Land-Based Receiving" | "Shipping" | "Receiving" | "Transformation";

export interface KdeRow {
  /** The lot whose record gives the row (not a column). */
  lotId: string;
  /** When the event happened (RFC 3339; not a column): rows sort by it. */
  at: string;
  cte: CriticalTrackingEvent;
  tlc: string;
  product: string;
  quantity: number | null;
  unit: string;
  /** YYYY-MM-DD (China date for instants). */
  date: string;
  location: string;
  tlcSource: string;
  shipFrom: string;
  shipTo: string;
  harvestDate: string;
  inputTlcs: string;
  referenceType: string;
  referenceNumber: string;
  internalLotCode: string;
}

export interface KdeParty {
  name: string;
  kind: string;
  address: string | null;
  phone: string | null;
  regionCode: string | null;
}

export interface KdeLot {
  lotId: string;
  visible: boolean;
  code: string | null;
  product: string;
  quantity: number | null;
  unit: string | null;
  harvestedOn: string | null;
  createdAt: string | null;
  party: KdeParty;
  site: { name: string; regionCode: string; address: string | null } | null;
  certificates: { code: string; status: string }[];
}

export interface KdeEdge {
  from: string;
  to: string;
  kind: string;
  quantity: number | null;
  unit: string | null;
  /** The EPCIS eventID of the event that made the edge. */
  eventId: string;
  at: string;
}

export interface KdeShipment {
  id: string;
  lotId: string;
  from: KdeParty;
  to: KdeParty;
  quantity: number | null;
  unit: string | null;
  shippedAt: string;
  receivedAt: string | null;
  receivedLotId: string | null;
}

export interface KdeSource {
  lots: readonly KdeLot[];
  edges: readonly KdeEdge[];
  shipments: readonly KdeShipment[];
  /**
   * For shipments received into a visible lot from a lot the reader may not see in full: the TLC the goods were
   * shipped under and its source location, which the receiver's shipping papers carry anyway.
   */
  shippedAs?: ReadonlyMap<string, { tlc: string; tlcSource: string }>;
  /** Lots that have parents, whether or not the trace reached them: a lot at the trace's edge is not an origin. */
  madeFrom?: ReadonlySet<string>;
}

const PRODUCER_KINDS = new Set(["enterprise", "cooperative", "family_farm", "household"]);

/** FSMA asks for business name, address and phone: one cell, so the sheet sorts and filters by it. */
export function describeLocation(party: KdeParty, site: KdeLot["site"] = null): string {
  const place = site === null ? [party.address, party.regionCode] : [site.name, site.address, site.regionCode];
  return [party.name, ...place, party.phone].filter((v): v is string => v !== null && v !== "").join(", ");
}

/** An instant as the China calendar date the paperwork would carry. */
export function chinaDay(instant: string): string {
  return new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The rows, sorted by instant, then event, then lot code. A producer's lot with no parent is harvested and initially
 * packed where it was recorded (its TLC source), packed when recorded or by its first shipment or use if earlier; a received lot keeps the TLC it was shipped under; a lot made by
 * split, merge, repacking or transformation is a transformation with a new TLC. Cooling and first land-based
 * receiving have no record here and give no rows.
 */
export function kdeRows(source: KdeSource): KdeRow[] {
  const byId = new Map(source.lots.map((l) => [l.lotId, l]));
  const incoming = new Map<string, KdeEdge[]>();
  for (const e of source.edges) incoming.set(e.to, [...(incoming.get(e.to) ?? []), e]);
  const receivedBy = new Map(source.shipments.filter((s) => s.receivedLotId !== null).map((s) => [s.receivedLotId!, s]));
  // Goods are packed before they leave: a lot recorded after its first shipment or use was packed by then.
  const firstOut = new Map<string, string>();
  for (const [lotId, at] of [...source.edges.map((e) => [e.from, e.at] as const), ...source.shipments.map((s) => [s.lotId, s.shippedAt] as const)]) {
    const known = firstOut.get(lotId);
    if (known === undefined || new Date(at) < new Date(known)) firstOut.set(lotId, at);
  }
  const rows: KdeRow[] = [];

  /** Where a lot's TLC was assigned: back through receipts to the lot that was packed or made. */
  const sourceOf = (lot: KdeLot): { tlc: string; location: string } => {
    let current = lot;
    for (let hops = 0; hops < 50; hops++) {
      const edges = incoming.get(current.lotId) ?? [];
      const transfer = edges.length === 1 && edges[0]!.kind === "transfer" ? byId.get(edges[0]!.from) : undefined;
      if (transfer === undefined || !transfer.visible) break;
      current = transfer;
    }
    return { tlc: current.code ?? lot.code ?? "", location: describeLocation(current.party, current.site) };
  };

  for (const lot of source.lots) {
    if (!lot.visible) continue;
    const base = {
      lotId: lot.lotId,
      product: lot.product,
      quantity: lot.quantity,
      unit: lot.unit ?? "",
      harvestDate: lot.harvestedOn ?? "",
      internalLotCode: lot.code ?? "",
    };
    const here = describeLocation(lot.party, lot.site);
    const edges = incoming.get(lot.lotId) ?? [];
    const certificate = lot.certificates.find((c) => c.status === "valid") ?? lot.certificates[0];
    const reference = certificate === undefined ? { referenceType: "Lot record", referenceNumber: lot.lotId } : { referenceType: "Certificate of compliance (承诺达标合格证)", referenceNumber: certificate.code };
    if (edges.length === 0) {
      if (!PRODUCER_KINDS.has(lot.party.kind) || source.madeFrom?.has(lot.lotId) === true) continue;
      const common = { ...base, tlc: lot.code ?? "", location: here, tlcSource: here, shipFrom: "", shipTo: "", inputTlcs: "", ...reference };
      const harvested = lot.harvestedOn ?? "";
      rows.push({ ...common, cte: "Harvesting", date: harvested, at: harvested === "" ? "" : new Date(`${harvested}T00:00:00+08:00`).toISOString() });
      const out = firstOut.get(lot.lotId);
      const packed = lot.createdAt === null || (out !== undefined && new Date(out) < new Date(lot.createdAt)) ? (out ?? "") : lot.createdAt;
      rows.push({ ...common, cte: "Initial Packing", date: packed === "" ? "" : chinaDay(packed), at: packed });
      continue;
    }
    const shipment = receivedBy.get(lot.lotId);
    if (shipment !== undefined) {
      const shipped = byId.get(shipment.lotId);
      const told = source.shippedAs?.get(shipment.lotId);
      const origin =
        shipped !== undefined && shipped.visible ? sourceOf(shipped) : told !== undefined ? { tlc: told.tlc, location: told.tlcSource } : { tlc: lot.code ?? "", location: "" };
      const receivedAt = shipment.receivedAt ?? shipment.shippedAt;
      rows.push({
        ...base,
        cte: "Receiving",
        tlc: origin.tlc,
        quantity: shipment.quantity ?? lot.quantity,
        unit: shipment.unit ?? lot.unit ?? "",
        date: chinaDay(receivedAt),
        at: receivedAt,
        location: here,
        tlcSource: origin.location,
        shipFrom: describeLocation(shipment.from),
        shipTo: here,
        inputTlcs: "",
        referenceType: "Shipment record",
        referenceNumber: shipment.id,
      });
      continue;
    }
    const inputs = edges.map((e) => byId.get(e.from)).filter((l): l is KdeLot => l !== undefined && l.visible);
    rows.push({
      ...base,
      cte: "Transformation",
      tlc: lot.code ?? "",
      date: chinaDay(edges[0]!.at),
      at: edges[0]!.at,
      location: here,
      tlcSource: here,
      shipFrom: "",
      shipTo: "",
      inputTlcs: [...new Set(inputs.map((l) => sourceOf(l).tlc))].sort().join("; "),
      referenceType: "EPCIS TransformationEvent",
      referenceNumber: edges[0]!.eventId,
    });
  }

  for (const s of source.shipments) {
    const lot = byId.get(s.lotId);
    if (lot === undefined || !lot.visible) continue;
    const origin = sourceOf(lot);
    rows.push({
      lotId: lot.lotId,
      cte: "Shipping",
      tlc: origin.tlc,
      product: lot.product,
      quantity: s.quantity,
      unit: s.unit ?? lot.unit ?? "",
      date: chinaDay(s.shippedAt),
      at: s.shippedAt,
      location: describeLocation(lot.party, lot.site),
      tlcSource: origin.location,
      shipFrom: describeLocation(s.from),
      shipTo: describeLocation(s.to),
      harvestDate: lot.harvestedOn ?? "",
      inputTlcs: "",
      referenceType: "Shipment record",
      referenceNumber: s.id,
      internalLotCode: lot.code ?? "",
    });
  }

  return rows.sort(compareRows);
}

const CTE_ORDER: readonly CriticalTrackingEvent[] = ["Harvesting", "Cooling", "Initial Packing", "First Land-Based Receiving", "Transformation", "Shipping", "Receiving"];

/** By instant, then the order goods go through the events, then lot code: the order the sheet opens in. */
export function compareRows(a: KdeRow, b: KdeRow): number {
  const time = (r: KdeRow) => (r.at === "" ? 0 : new Date(r.at).getTime());
  return time(a) - time(b) || CTE_ORDER.indexOf(a.cte) - CTE_ORDER.indexOf(b.cte) || a.tlc.localeCompare(b.tlc) || a.referenceNumber.localeCompare(b.referenceNumber);
}

/** A row as the spreadsheet's cells, in column order. */
export function rowCells(row: KdeRow): (string | number)[] {
  return [
    row.cte,
    row.tlc,
    row.product,
    row.quantity ?? "",
    row.unit,
    row.date,
    row.location,
    row.tlcSource,
    row.shipFrom,
    row.shipTo,
    row.harvestDate,
    row.inputTlcs,
    row.referenceType,
    row.referenceNumber,
    row.internalLotCode,
  ];
}

/** Rows within a date range (inclusive, YYYY-MM-DD), as a product-and-dates request asks. */
export function withinDates(rows: readonly KdeRow[], from: string, to: string): KdeRow[] {
  return rows.filter((r) => r.date >= from && r.date <= to);
}
