export * from "./quantity";
export * from "./operations";
export * from "./events";
export * from "./identifiers";
