import { describe, expect, it } from "vitest";
import { describeLocation, FSMA204_COLUMNS, type KdeLot, kdeRows, rowCells, withinDates } from "./kde-rows";

const farm = { name: "临安雷笋合作社", kind: "cooperative", address: "太湖源镇", phone: "13800000000", regionCode: "330112" };
const buyer = { name: "杭州收购站", kind: "buyer", address: "农批市场 12 号", phone: "13900000000", regionCode: "330106" };

function lot(id: string, code: string, party = farm, extra: Partial<KdeLot> = {}): KdeLot {
  return {
    lotId: id,
    visible: true,
    code,
    product: "雷笋",
    quantity: 100,
    unit: "kg",
    harvestedOn: "2026-11-19",
    createdAt: "2026-11-19T02:00:00.000Z",
    party,
    site: party === farm ? { name: "一号地块", regionCode: "330112", address: "太湖源镇" } : null,
    certificates: [],
    ...extra,
  };
}

describe("kdeRows", () => {
  it("harvests and packs a grower's lot, ships it under its TLC and receives it under the same TLC", () => {
    const rows = kdeRows({
      lots: [lot("a", "A-1"), lot("r", "R-9", buyer)],
      edges: [{ from: "a", to: "r", kind: "transfer", quantity: 40, unit: "kg", eventId: "ni:recv", at: "2026-11-20T04:00:00.000Z" }],
      shipments: [{ id: "s1", lotId: "a", from: farm, to: buyer, quantity: 40, unit: "kg", shippedAt: "2026-11-20T01:00:00.000Z", receivedAt: "2026-11-20T04:00:00.000Z", receivedLotId: "r" }],
    });
    expect(rows.map((r) => [r.cte, r.tlc, r.date, r.quantity])).toEqual([
      ["Harvesting", "A-1", "2026-11-19", 100],
      ["Initial Packing", "A-1", "2026-11-19", 100],
      ["Shipping", "A-1", "2026-11-20", 40],
      ["Receiving", "A-1", "2026-11-20", 40],
    ]);
    const receiving = rows[3]!;
    expect(receiving.shipFrom).toBe(describeLocation(farm));
    expect(receiving.tlcSource).toBe("临安雷笋合作社, 一号地块, 太湖源镇, 330112, 13800000000");
    expect(receiving.internalLotCode).toBe("R-9");
    expect(rowCells(receiving)).toHaveLength(FSMA204_COLUMNS.length);
  });

  it("makes a transformation with a new TLC naming its inputs' TLCs, and skips lots it may not show", () => {
    const rows = kdeRows({
      lots: [lot("a", "A-1"), lot("b", "B-1", farm, { visible: false, code: null }), lot("m", "MIX", buyer)],
      edges: [
        { from: "a", to: "m", kind: "merge", quantity: 10, unit: "kg", eventId: "ni:merge", at: "2026-11-21T00:00:00.000Z" },
        { from: "b", to: "m", kind: "merge", quantity: 10, unit: "kg", eventId: "ni:merge", at: "2026-11-21T00:00:00.000Z" },
      ],
      shipments: [],
    });
    const transformation = rows.find((r) => r.cte === "Transformation")!;
    expect(transformation).toMatchObject({ tlc: "MIX", inputTlcs: "A-1", referenceType: "EPCIS TransformationEvent", referenceNumber: "ni:merge", date: "2026-11-21" });
    expect(rows.filter((r) => r.tlc === "B-1")).toEqual([]);
  });

  it("gives no origin rows to a lot whose parents lie beyond the trace, nor to lots of buyers without parents", () => {
    const rows = kdeRows({ lots: [lot("c", "C-1"), lot("x", "X", buyer)], edges: [], shipments: [], madeFrom: new Set(["c"]) });
    expect(rows).toEqual([]);
  });

  it("dates initial packing by the first shipment when the lot was recorded after it left", () => {
    const rows = kdeRows({
      lots: [lot("a", "A-1", farm, { createdAt: "2026-11-22T02:00:00.000Z" })],
      edges: [],
      shipments: [{ id: "s1", lotId: "a", from: farm, to: buyer, quantity: 5, unit: "kg", shippedAt: "2026-11-20T01:00:00.000Z", receivedAt: null, receivedLotId: null }],
    });
    expect(rows.map((r) => [r.cte, r.date])).toEqual([
      ["Harvesting", "2026-11-19"],
      ["Initial Packing", "2026-11-20"],
      ["Shipping", "2026-11-20"],
    ]);
  });

  it("keeps rows within a date range", () => {
    const rows = kdeRows({ lots: [lot("a", "A-1", farm, { createdAt: "2026-11-21T02:00:00.000Z" })], edges: [], shipments: [] });
    expect(withinDates(rows, "2026-11-20", "2026-11-30").map((r) => r.cte)).toEqual(["Initial Packing"]);
  });
});
