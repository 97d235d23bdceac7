import { StoreTimeoutError } from "./errors";
import type { Store } from "./store";

/** Bounds one store call: settles like it, or rejects with {@link StoreTimeoutError}. */
export type Bound = <T>(promise: Promise<T>, operation: string) => Promise<T>;

/**
 * The bound the cache puts on `store`'s calls. A store that already settles every call within
 * `ms` (`capabilities.deadlineMs`, as the Redis stores do with one shared timer) gets none: a
 * second timer per call would only cost time on the hit path.
 */
export function storeBound(store: Store, ms: number): Bound {
  const own = store.capabilities.deadlineMs;
  if (own !== undefined && own <= ms) return (promise) => promise;
  return (promise, operation) =>
    withDeadline(promise, ms, () => new StoreTimeoutError("@mcp-persist/cache-core", operation, ms));
}

/**
 * Settles like `promise`, or rejects with `timeout()` after `ms` if it has not settled by then.
 * The store call itself is not cancelled (stores have no cancellation): its late result goes to
 * `onLate` (a lock granted after we gave up must be released) or is dropped. Capabilities use it
 * to put their own deadline on store calls.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  timeout: () => Error,
  onLate?: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(timeout());
    }, ms);
    // A pending store call keeps the process alive if it must; the deadline should not.
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Calls `start` and bounds the result; a synchronous throw becomes a rejection. */
export function boundedCall<T>(start: () => Promise<T>, bound: Bound, operation: string): Promise<T> {
  try {
    return bound(start(), operation);
  } catch (error) {
    return Promise.reject(error);
  }
}
