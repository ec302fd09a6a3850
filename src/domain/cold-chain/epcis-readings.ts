import { canonicalGs1Uri } from "../epcis/gs1-uri";
import type { EpcisDocument, EpcisEvent, QuantityElement, SensorElement, SensorReport } from "../epcis/model";

/** A lot named by an event: its GTIN (14 digits) when the identifier carries one, and its lot number (AI 10). */
export interface LotReference {
  readonly gtin: string | null;
  readonly lot: string;
}

export interface EpcisTemperature {
  readonly loggerId: string;
  /** Epoch ms. */
  readonly at: number;
  readonly celsius: number;
}

export interface EpcisEventReadings {
  /** Index of the event in the document's eventList, for error paths. */
  readonly eventIndex: number;
  readonly lots: LotReference[];
  readonly readings: EpcisTemperature[];
}

export interface EpcisExtraction {
  readonly events: EpcisEventReadings[];
  readonly problems: { path: string; message: string }[];
}

const TEMPERATURE_TYPES = new Set(["Temperature", "gs1:Temperature", "https://gs1.org/voc/Temperature", "https://ref.gs1.org/voc/Temperature"]);

/** UN/ECE Rec 20 temperature units to °C. */
const TO_CELSIUS: Readonly<Record<string, (v: number) => number>> = {
  CEL: (v) => v,
  FAH: (v) => ((v - 32) * 5) / 9,
  KEL: (v) => v - 273.15,
};

/** Used when neither the report nor its element's metadata names the device. */
export const UNNAMED_EPCIS_LOGGER = "epcis";

/**
 * Temperature readings in a (schema-valid) EPCIS 2.0 document: every sensorReport of type Temperature with a value
 * (or, for loggers that report aggregates, a meanValue) in a known unit. A report's time is its own `time`, else
 * its element's `sensorMetadata.time`, else the event's `eventTime`. Reports of other types are ignored; a
 * temperature report that cannot be read is a problem naming where it is.
 */
export function extractTemperatures(document: EpcisDocument): EpcisExtraction {
  const events: EpcisEventReadings[] = [];
  const problems: { path: string; message: string }[] = [];
  document.epcisBody.eventList.forEach((event, eventIndex) => {
    const readings: EpcisTemperature[] = [];
    (event.sensorElementList ?? []).forEach((element, elementIndex) => {
      element.sensorReport.forEach((report, reportIndex) => {
        if (report.type === undefined || !TEMPERATURE_TYPES.has(report.type)) return;
        const path = `epcisBody.eventList.${eventIndex}.sensorElementList.${elementIndex}.sensorReport.${reportIndex}`;
        const read = readReport(event, element, report);
        if ("problem" in read) problems.push({ path: `${path}.${read.field}`, message: read.problem });
        else readings.push(read);
      });
    });
    if (readings.length > 0) events.push({ eventIndex, lots: lotsOfEvent(event), readings });
  });
  return { events, problems };
}

function readReport(event: EpcisEvent, element: SensorElement, report: SensorReport): EpcisTemperature | { field: string; problem: string } {
  const value = report.value ?? report.meanValue;
  if (value === undefined) return { field: "value", problem: "a temperature report needs value or meanValue" };
  const uom = report.uom ?? "CEL";
  const convert = TO_CELSIUS[uom];
  if (convert === undefined) return { field: "uom", problem: `must be CEL, FAH or KEL for a temperature, not ${uom}` };
  const time = report.time ?? element.sensorMetadata?.time ?? event.eventTime;
  const at = Date.parse(time);
  if (Number.isNaN(at)) return { field: "time", problem: "is not a date-time" };
  const loggerId = report.deviceID ?? element.sensorMetadata?.deviceID ?? UNNAMED_EPCIS_LOGGER;
  return { loggerId, at, celsius: Math.round(convert(value) * 1000) / 1000 };
}

function lotsOfEvent(event: EpcisEvent): LotReference[] {
  const ids: string[] = [];
  const quantities: QuantityElement[] = [];
  switch (event.type) {
    case "ObjectEvent":
    case "TransactionEvent":
      ids.push(...(event.epcList ?? []));
      quantities.push(...(event.quantityList ?? []));
      break;
    case "AggregationEvent":
    case "AssociationEvent":
      ids.push(...(event.childEPCs ?? []));
      quantities.push(...(event.childQuantityList ?? []));
      break;
    case "TransformationEvent":
      ids.push(...(event.outputEPCList ?? []));
      quantities.push(...(event.outputQuantityList ?? []));
      break;
  }
  const seen = new Map<string, LotReference>();
  for (const uri of [...ids, ...quantities.map((q) => q.epcClass)]) {
    const ref = lotReference(uri);
    if (ref !== null) seen.set(`${ref.gtin ?? ""}|${ref.lot}`, ref);
  }
  return [...seen.values()];
}

/** GTIN and lot of an EPC class URI (`urn:epc:class:lgtin:…`) or a Digital Link with AI 10; null for anything else. */
export function lotReference(uri: string): LotReference | null {
  const link = canonicalGs1Uri(uri);
  if (link === undefined) return null;
  const match = /^https:\/\/id\.gs1\.org\/01\/(\d{14})(?:\/22\/[^/]+)?\/10\/([^/?#]+)/.exec(link);
  if (match === null) return null;
  try {
    return { gtin: match[1]!, lot: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
}
