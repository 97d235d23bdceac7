import { describeValue } from "@mcp-persist/keys";
import { InvalidOptionError } from "./errors";

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as `signal` aborts,
 * whichever comes first. Only this caller stops waiting: the work behind `promise` goes on (a
 * single-flight call other callers share, a store write), so one cancelled request never
 * cancels anyone else's. An already aborted signal rejects at once.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {}); // whoever runs the work reports its failure; this caller has left
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A `signal` option that was given: an `AbortSignal` (anything with `aborted` and
 * `addEventListener`, so a signal from another realm or polyfill works too).
 * @throws {InvalidOptionError} for anything else: a typo must not turn cancellation off silently.
 */
export function checkSignal(pkg: string, signal: unknown): AbortSignal {
  const candidate = signal as Partial<AbortSignal> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    typeof candidate.aborted !== "boolean" ||
    typeof candidate.addEventListener !== "function"
  ) {
    throw new InvalidOptionError(
      pkg,
      `signal must be an AbortSignal (e.g. the MCP request's extra.signal), got ${describeValue(signal)}`,
    );
  }
  return signal as AbortSignal;
}
