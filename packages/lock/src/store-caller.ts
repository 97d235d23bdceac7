import type { Store } from "@mcp-persist/cache-core";
import { assertStore, type StoreCaller, storeCaller } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";

/** What a `StoreTimeoutError` from the lock tells the reader to do. */
const WHEN_THE_LOCK_GAVE_UP =
  "the lock gave up on it (raise storeTimeoutMs, or the store's own timeoutMs, if the store is slow but healthy)";

/**
 * Callers already built, by store and `storeTimeoutMs`: a caller holds nothing but the store and
 * its options, and building one per call cost about as much as the rest of the call's
 * bookkeeping. Weak by store, so a store that is dropped takes its callers with it.
 */
const built = new WeakMap<Store, Map<number, StoreCaller>>();

/** Distinct `storeTimeoutMs` values kept per store; an application uses one or two. */
const KEPT_PER_STORE = 8;

/**
 * The store as one `withLock`, `once` or `clearOnce` call uses it: every call settles within
 * `storeTimeoutMs` (or the store's own, shorter deadline: then no second timer), and a script
 * reply that arrives after the call gave up still reaches its `onLateReply`, whichever deadline
 * fired, so a lock granted late can be given back.
 */
export function lockStoreCaller(store: Store, storeTimeoutMs: number): StoreCaller {
  let byTimeout = built.get(store);
  if (byTimeout === undefined) {
    byTimeout = new Map();
    built.set(store, byTimeout);
  }
  let caller = byTimeout.get(storeTimeoutMs);
  if (caller === undefined) {
    caller = storeCaller(store, { pkg: PKG, timeoutMs: storeTimeoutMs, consequence: WHEN_THE_LOCK_GAVE_UP });
    if (byTimeout.size < KEPT_PER_STORE) byTimeout.set(storeTimeoutMs, caller);
  }
  return caller;
}

/** Stores already found to be stores: checking one walks its six methods, on every call otherwise. */
const checked = new WeakSet<object>();

/**
 * Throws `InvalidOptionError` unless `store` is an mcp-persist `Store` (cache-core's `assertStore`),
 * checking each store object once: the first argument of every `withLock`, `once` and `clearOnce`.
 */
export function assertLockStore(store: unknown): asserts store is Store {
  if (typeof store === "object" && store !== null && checked.has(store)) return;
  assertStore(store, PKG, "the first argument");
  checked.add(store);
}
