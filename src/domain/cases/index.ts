export * from "./state-machine";
export * from "./deadlines";
export * from "./rates";
