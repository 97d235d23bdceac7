import type { Store } from "@mcp-persist/cache-core";
import { type StoreCaller, storeCaller } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";

/** What a `StoreTimeoutError` from the lock tells the reader to do. */
const WHEN_THE_LOCK_GAVE_UP =
  "the lock gave up on it (raise storeTimeoutMs, or the store's own timeoutMs, if the store is slow but healthy)";

/**
 * The store as one `withLock`, `once` or `clearOnce` call uses it: every call settles within
 * `storeTimeoutMs` (or the store's own, shorter deadline: then no second timer), and a script
 * reply that arrives after the call gave up still reaches its `onLateReply`, whichever deadline
 * fired, so a lock granted late can be given back.
 */
export function lockStoreCaller(store: Store, storeTimeoutMs: number): StoreCaller {
  return storeCaller(store, { pkg: PKG, timeoutMs: storeTimeoutMs, consequence: WHEN_THE_LOCK_GAVE_UP });
}
