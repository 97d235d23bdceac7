import { withDeadline } from "./deadline";
import { StoreTimeoutError } from "./errors";
import type { Store } from "./store";

/**
 * How long a capability waits for its store, in milliseconds, unless told otherwise: the Redis
 * stores' own `timeoutMs`. One default, one option name (`storeTimeoutMs`) in every capability.
 */
export const DEFAULT_STORE_TIMEOUT_MS = 250;

/** Who is calling and what it does instead of waiting, for the timeout's message. */
export interface StoreCallerOptions {
  /** The capability's npm package, named in errors. */
  pkg: string;
  /** `storeTimeoutMs`: how long the capability waits for the store. */
  timeoutMs: number;
  /** What the capability does when the store does not answer in time, e.g. "the call went on without the cache". */
  consequence: string;
}

/**
 * A store's calls as a capability makes them: each settles within `timeoutMs` (rejecting with
 * `StoreTimeoutError`), a synchronous throw becomes a rejection, and a script's reply that arrives
 * after the capability gave up still reaches `onLateReply`, whoever's deadline fired first.
 */
export interface StoreCaller extends Pick<Store, "get" | "set" | "delete" | "run"> {
  readonly store: Store;
  /** The `storeTimeoutMs` this caller was built with. */
  readonly timeoutMs: number;
}

/**
 * The one way a capability (the cache, the rate limiter, the lock) calls its store.
 *
 * The store's own deadline is honoured once: a store that settles every call by itself within
 * `timeoutMs` (`capabilities.deadlineMs`, as the Redis stores do) gets no second timer per call.
 * Only a store with no stated bound, or a longer one, is raced against `timeoutMs` here.
 */
export function storeCaller(store: Store, options: StoreCallerOptions): StoreCaller {
  const { pkg, timeoutMs, consequence } = options;
  const own = store.capabilities.deadlineMs;
  const bounded = own === undefined || own > timeoutMs;
  // Takes the call already started, so a store that bounds itself costs no closure beyond its own
  // promise (the Redis stores' hit path). A store without a stated bound (an in-process one's
  // async calls) pays for `withDeadline`: a promise, a few closures and a timer per call.
  const settle = <T>(operation: string, call: Promise<T>, onLate?: (value: T) => void): Promise<T> =>
    bounded
      ? withDeadline(
          call,
          timeoutMs,
          () => new StoreTimeoutError(pkg, operation, timeoutMs, consequence),
          onLate,
        )
      : call;
  return {
    store,
    timeoutMs,
    get(key) {
      try {
        return settle("get", store.get(key));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    set(key, value, ttlMs) {
      try {
        return settle("set", store.set(key, value, ttlMs));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    delete(key) {
      try {
        return settle("delete", store.delete(key));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    run(script, keys, args, runOptions) {
      try {
        const call = store.run(script, keys, args, runOptions);
        return settle(`run(${script.name})`, call, runOptions?.onLateReply);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
