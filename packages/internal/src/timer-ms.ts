import { describe } from "./describe";

/**
 * The longest delay Node's timers hold (2^31 - 1 ms, about 24.8 days). They keep it in a signed
 * 32-bit integer: a longer one fires after 1 ms instead, with only a TimeoutOverflowWarning, so a
 * 30-day `timeoutMs` would time out at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks of options that a timer measures; each returns the value or throws naming the option. */
export interface TimerMsChecks {
  /** A positive finite number of milliseconds, at most {@link MAX_TIMER_MS}. */
  positiveMs(option: string, value: unknown): number;
  /** Zero or a positive finite number of milliseconds, at most {@link MAX_TIMER_MS} (0 turns the feature off). */
  nonNegativeMs(option: string, value: unknown): number;
}

/** The timer checks of a package, throwing its own `InvalidOptionError`. */
export function timerMsChecks(InvalidOptionError: new (message: string) => Error): TimerMsChecks {
  const timerMs = (option: string, value: unknown, expected: string, allowZero: boolean): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
      throw new InvalidOptionError(
        `${option} must be ${expected} finite number of milliseconds, got ${describe(value)}`,
      );
    }
    if (value > MAX_TIMER_MS) {
      throw new InvalidOptionError(
        `${option} must be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest delay Node's timers hold; ` +
          `a longer one fires after 1 ms), got ${value}`,
      );
    }
    return value;
  };
  return {
    positiveMs: (option, value) => timerMs(option, value, "a positive", false),
    nonNegativeMs: (option, value) => timerMs(option, value, "zero or a positive", true),
  };
}
