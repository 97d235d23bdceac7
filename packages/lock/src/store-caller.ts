import type { Store } from "@mcp-persist/cache-core";
import { assertStore, ScriptBatcher, type StoreCaller, storeCaller } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";
import { lockBatchScript } from "./lock-batch.lua";

/** What a `StoreTimeoutError` from the lock tells the reader to do. */
const WHEN_THE_LOCK_GAVE_UP =
  "the lock gave up on it (raise storeTimeoutMs, or the store's own timeoutMs, if the store is slow but healthy)";

/**
 * The store as the lock calls it, with the two calls every `withLock` makes batched: on Redis,
 * the acquisitions (and the releases) made in one tick go as one script call. One command for
 * many locks is what lets node-redis, which spends three times ioredis's CPU per command, keep
 * up with ioredis; it saves both clients and the server most of the per-command cost.
 */
export interface LockCaller extends StoreCaller {
  readonly batched: ScriptBatcher;
}

/**
 * Callers already built, by store and `storeTimeoutMs`: a caller holds nothing but the store and
 * its options, and building one per call cost about as much as the rest of the call's
 * bookkeeping. Weak by store, so a store that is dropped takes its callers with it.
 */
const built = new WeakMap<Store, Map<number, LockCaller>>();

/** Distinct `storeTimeoutMs` values kept per store; an application uses one or two. */
const KEPT_PER_STORE = 8;

/**
 * The store as one `withLock`, `once` or `clearOnce` call uses it: every call settles within
 * `storeTimeoutMs` (or the store's own, shorter deadline: then no second timer), and a script
 * reply that arrives after the call gave up still reaches its `onLateReply`, whichever deadline
 * fired, so a lock granted late can be given back.
 */
export function lockStoreCaller(store: Store, storeTimeoutMs: number): LockCaller {
  let byTimeout = built.get(store);
  if (byTimeout === undefined) {
    byTimeout = new Map();
    built.set(store, byTimeout);
  }
  let caller = byTimeout.get(storeTimeoutMs);
  if (caller === undefined) {
    const base = storeCaller(store, {
      pkg: PKG,
      timeoutMs: storeTimeoutMs,
      consequence: WHEN_THE_LOCK_GAVE_UP,
    });
    caller = Object.assign(base, { batched: new ScriptBatcher(base, lockBatchScript) });
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
