/**
 * Where the cache and in-process stores read the time. Inject one in tests to move time by hand
 * instead of sleeping.
 */
export interface Clock {
  /** Milliseconds, possibly fractional. Must be positive and never go backwards. */
  now(): number;
}

// `performance.now()` is monotonic (unaffected by NTP steps); adding the origin makes it
// comparable with wall-clock times written by other processes (e.g. in a shared Redis).
// Looked up once: Node's global `performance` is a lazy getter, read again on every access, and
// the clock is read on every in-process script (a rate-limit check).
const perf = globalThis.performance;
const origin = perf.timeOrigin;
const perfNow = perf.now.bind(perf);

/** The default clock: monotonic, aligned with wall-clock epoch milliseconds. */
export const systemClock: Clock = {
  now: () => origin + perfNow(),
};
