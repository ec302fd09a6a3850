import { describe, expect, it } from "vitest";
import { documentEvents, hashContextOfDocument } from "./document-events.js";
import { eventHashId } from "./event-hash.js";
import { buildEpcisDocument, type EpcisEvent } from "./model.js";
import { validateEpcisDocument } from "./validate-document.js";

const LOT = "urn:epc:class:lgtin:6901234.012345.L2024-05";
const FARM = { id: "urn:epc:id:sgln:6901234.00001.0" };
const common = { eventTime: "2024-05-01T08:00:00+08:00", eventTimeZoneOffset: "+08:00", readPoint: FARM } as const;

const samples: readonly EpcisEvent[] = [
  {
    ...common,
    type: "ObjectEvent",
    action: "ADD",
    bizStep: "commissioning",
    disposition: "active",
    quantityList: [{ epcClass: LOT, quantity: 250.5, uom: "KGM" }],
    certificationInfo: "https://lotproof.example/c/ABC123",
    ilmd: { "lotproof:harvestDate": "2024-04-30" },
    "lotproof:certificateCode": "ABC123",
  },
  {
    ...common,
    type: "ObjectEvent",
    action: "OBSERVE",
    bizStep: "storing",
    quantityList: [{ epcClass: LOT }],
    sensorElementList: [
      {
        sensorMetadata: { time: "2024-05-01T09:00:00+08:00", deviceID: "urn:epc:id:giai:6901234.T1" },
        sensorReport: [{ type: "Temperature", value: 4.5, uom: "CEL" }, { type: "Temperature", exception: "ALARM_CONDITION", value: 9, uom: "CEL" }],
      },
    ],
    persistentDisposition: { set: ["needs_replacement"] },
  },
  {
    ...common,
    type: "AggregationEvent",
    action: "ADD",
    bizStep: "packing",
    parentID: "urn:epc:id:sscc:6901234.0000000001",
    childQuantityList: [{ epcClass: LOT, quantity: 20, uom: "KGM" }],
  },
  {
    ...common,
    type: "TransactionEvent",
    action: "ADD",
    bizStep: "shipping",
    disposition: "in_transit",
    quantityList: [{ epcClass: LOT, quantity: 20, uom: "KGM" }],
    bizTransactionList: [{ type: "po", bizTransaction: "urn:epcglobal:cbv:bt:6901234000016:PO-1" }],
    sourceList: [{ type: "owning_party", source: "urn:epc:id:pgln:6901234.00001" }],
    destinationList: [{ type: "owning_party", destination: "urn:epc:id:pgln:6909876.00001" }],
  },
  {
    ...common,
    type: "TransformationEvent",
    bizStep: "repackaging",
    transformationID: "urn:uuid:5f0b9a0e-7f44-4b4c-9a7e-3b1f7d9e2c10",
    inputQuantityList: [{ epcClass: LOT, quantity: 20, uom: "KGM" }],
    outputQuantityList: [{ epcClass: "urn:epc:class:lgtin:6901234.054321.L2024-05-P", quantity: 40, uom: "H87" }],
  },
  {
    ...common,
    type: "AssociationEvent",
    action: "ADD",
    bizStep: "assembling",
    parentID: "urn:epc:id:grai:6901234.00002.7",
    childEPCs: ["urn:epc:id:giai:6901234.T1"],
  },
];

const build = () =>
  buildEpcisDocument(samples, {
    creationDate: "2024-05-01T10:00:00+08:00",
    namespaces: { lotproof: "https://lotproof.example/voc/" },
  });

describe("buildEpcisDocument", () => {
  it("builds a schema-valid document from a sample of every event type", () => {
    expect(validateEpcisDocument(build())).toEqual({ valid: true });
  });

  it("without extension namespaces, uses only the standard context", () => {
    const [, , aggregation = samples[0]!] = samples;
    const document = buildEpcisDocument([aggregation], { creationDate: "2024-05-01T02:00:00Z" });
    expect(document["@context"]).toEqual(["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]);
    expect(validateEpcisDocument(document)).toEqual({ valid: true });
  });

  it("gives every built event a distinct hash id", () => {
    const document = build();
    const context = hashContextOfDocument(document);
    const ids = documentEvents(document).map((event) => eventHashId(event, context));
    expect(new Set(ids).size).toBe(samples.length);
  });
});
