export { type LruStore, type LruStoreOptions, lruStore } from "./lru-store";
