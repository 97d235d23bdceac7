export { type LruStore, type LruStoreOptions, lruStore } from "./lru-store";
export type { StateKeyspace } from "./state-keyspace";
