import type { EpcisEventJson } from "../event-hash";

/**
 * What the standard query's MATCH_ parameters look at, pulled out of an event so the database can index it:
 * instance identifiers by role and the classes of quantity elements by role (EPCIS 2.0 section 8.2.7.1).
 */
export interface EventQueryColumns {
  /** epcList and childEPCs. */
  readonly epcs: string[];
  readonly parentId: string | null;
  readonly inputEpcs: string[];
  readonly outputEpcs: string[];
  /** quantityList and childQuantityList. */
  readonly epcClasses: string[];
  readonly inputEpcClasses: string[];
  readonly outputEpcClasses: string[];
}

export function eventQueryColumns(event: EpcisEventJson): EventQueryColumns {
  return {
    epcs: [...strings(event["epcList"]), ...strings(event["childEPCs"])],
    parentId: typeof event["parentID"] === "string" ? event["parentID"] : null,
    inputEpcs: strings(event["inputEPCList"]),
    outputEpcs: strings(event["outputEPCList"]),
    epcClasses: [...classes(event["quantityList"]), ...classes(event["childQuantityList"])],
    inputEpcClasses: classes(event["inputQuantityList"]),
    outputEpcClasses: classes(event["outputQuantityList"]),
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === "string"))] : [];
}

function classes(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const found = value.flatMap((item: unknown) => {
    const epcClass = item !== null && typeof item === "object" ? (item as Record<string, unknown>)["epcClass"] : undefined;
    return typeof epcClass === "string" ? [epcClass] : [];
  });
  return [...new Set(found)];
}
