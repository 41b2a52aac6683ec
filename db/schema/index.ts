export * from "./auth";
export * from "./events";
export * from "./feedback";
export * from "./ingest";
export * from "./products";
export * from "./rollups";
