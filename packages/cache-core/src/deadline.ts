import { StoreTimeoutError } from "./errors";

/**
 * Settles like `promise`, or rejects with {@link StoreTimeoutError} after `ms` if it has not
 * settled by then. The store call itself is not cancelled (stores have no cancellation); its
 * late result is dropped.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, operation: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new StoreTimeoutError("@mcp-persist/cache-core", operation, ms)),
      ms,
    );
    // A pending store call keeps the process alive if it must; the deadline should not.
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Calls `start` and bounds the result; a synchronous throw becomes a rejection. */
export function boundedCall<T>(start: () => Promise<T>, ms: number, operation: string): Promise<T> {
  try {
    return withDeadline(start(), ms, operation);
  } catch (error) {
    return Promise.reject(error);
  }
}
