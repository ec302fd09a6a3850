export * from "./ranges";
export * from "./excursions";
export * from "./handover";
export * from "./closure";
export * from "./reconcile";
export * from "./epcis-readings";
export * from "./readings-input";
export * from "./series";
