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
const origin = performance.timeOrigin;

/** The default clock: monotonic, aligned with wall-clock epoch milliseconds. */
export const systemClock: Clock = {
  now: () => origin + performance.now(),
};
