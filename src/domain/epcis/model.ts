/** The EPCIS 2.0 event fields this service emits, as JSON-LD with the standard context. */

export const EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

export type Action = "ADD" | "OBSERVE" | "DELETE";

/** User extension fields are compact IRIs (`prefix:name`) whose prefix the document's @context declares. */
export type Extensions = { readonly [field: `${string}:${string}`]: unknown };

export interface QuantityElement {
  readonly epcClass: string;
  readonly quantity?: number;
  /** UN/ECE Rec 20 unit code, e.g. KGM. */
  readonly uom?: string;
}

export interface Place {
  readonly id: string;
}

export interface BizTransaction {
  /** CBV term such as `po`, `desadv`, or a URI. */
  readonly type?: string;
  readonly bizTransaction: string;
}

export interface Source {
  /** CBV term: `owning_party`, `possessing_party` or `location`. */
  readonly type: string;
  readonly source: string;
}

export interface Destination {
  readonly type: string;
  readonly destination: string;
}

export interface PersistentDisposition {
  readonly set?: readonly string[];
  readonly unset?: readonly string[];
}

export interface SensorMetadata {
  readonly time?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly deviceID?: string;
  readonly deviceMetadata?: string;
  readonly rawData?: string;
  readonly dataProcessingMethod?: string;
  readonly bizRules?: string;
}

export interface SensorReport {
  /** gs1 measurement type such as `Temperature`. */
  readonly type?: string;
  readonly exception?: "ALARM_CONDITION" | "ERROR_CONDITION";
  readonly deviceID?: string;
  readonly time?: string;
  readonly microorganism?: string;
  readonly chemicalSubstance?: string;
  readonly value?: number;
  readonly component?: string;
  readonly stringValue?: string;
  readonly booleanValue?: boolean;
  readonly uriValue?: string;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly meanValue?: number;
  readonly sDev?: number;
  readonly uom?: string;
}

export interface SensorElement {
  readonly sensorMetadata?: SensorMetadata;
  readonly sensorReport: readonly SensorReport[];
}

interface EventCommon extends Extensions {
  /** RFC 3339 timestamp with offset. */
  readonly eventTime: string;
  /** `+08:00` style. */
  readonly eventTimeZoneOffset: string;
  readonly eventID?: string;
  readonly certificationInfo?: string | readonly string[];
  /** CBV term (`commissioning`, `shipping`, ...) or a URI. */
  readonly bizStep?: string;
  readonly disposition?: string;
  readonly persistentDisposition?: PersistentDisposition;
  readonly readPoint?: Place;
  readonly bizLocation?: Place;
  readonly bizTransactionList?: readonly BizTransaction[];
  readonly sourceList?: readonly Source[];
  readonly destinationList?: readonly Destination[];
  readonly sensorElementList?: readonly SensorElement[];
}

export interface ObjectEvent extends EventCommon {
  readonly type: "ObjectEvent";
  readonly action: Action;
  readonly epcList?: readonly string[];
  readonly quantityList?: readonly QuantityElement[];
  readonly ilmd?: Extensions;
}

export interface AggregationEvent extends EventCommon {
  readonly type: "AggregationEvent";
  readonly action: Action;
  readonly parentID?: string;
  readonly childEPCs?: readonly string[];
  readonly childQuantityList?: readonly QuantityElement[];
}

export interface TransactionEvent extends EventCommon {
  readonly type: "TransactionEvent";
  readonly action: Action;
  readonly bizTransactionList: readonly BizTransaction[];
  readonly parentID?: string;
  readonly epcList?: readonly string[];
  readonly quantityList?: readonly QuantityElement[];
}

export interface TransformationEvent extends EventCommon {
  readonly type: "TransformationEvent";
  readonly transformationID?: string;
  readonly inputEPCList?: readonly string[];
  readonly inputQuantityList?: readonly QuantityElement[];
  readonly outputEPCList?: readonly string[];
  readonly outputQuantityList?: readonly QuantityElement[];
  readonly ilmd?: Extensions;
}

export interface AssociationEvent extends EventCommon {
  readonly type: "AssociationEvent";
  readonly action: Action;
  readonly parentID: string;
  readonly childEPCs?: readonly string[];
  readonly childQuantityList?: readonly QuantityElement[];
}

export type EpcisEvent = ObjectEvent | AggregationEvent | TransactionEvent | TransformationEvent | AssociationEvent;

export interface EpcisDocument {
  readonly "@context": readonly (string | Readonly<Record<string, string>>)[];
  readonly type: "EPCISDocument";
  readonly schemaVersion: "2.0";
  readonly creationDate: string;
  readonly epcisBody: { readonly eventList: readonly EpcisEvent[] };
}

export interface BuildDocumentOptions {
  /** When the document is created (RFC 3339); injected so building stays deterministic. */
  readonly creationDate: string;
  /** Prefixes of the user extensions the events carry, e.g. `{ lotproof: "https://…/voc/" }`. */
  readonly namespaces?: Readonly<Record<string, string>>;
}

/** Wraps events in an EPCISDocument with the standard EPCIS 2.0 @context. */
export function buildEpcisDocument(events: readonly EpcisEvent[], options: BuildDocumentOptions): EpcisDocument {
  const namespaces = options.namespaces ?? {};
  return {
    "@context": Object.keys(namespaces).length > 0 ? [EPCIS_CONTEXT_URL, namespaces] : [EPCIS_CONTEXT_URL],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: options.creationDate,
    epcisBody: { eventList: events },
  };
}
