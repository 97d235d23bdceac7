import { describe, expect, it } from "vitest";
import { MAX_TIMER_MS, timerMsChecks } from "../src/timer-ms";

class InvalidOptionError extends Error {}
const { positiveMs, nonNegativeMs } = timerMsChecks(InvalidOptionError);

describe("timerMsChecks", () => {
  it("returns a duration a timer can hold", () => {
    expect(positiveMs("timeoutMs", 0.5)).toBe(0.5);
    expect(positiveMs("timeoutMs", MAX_TIMER_MS)).toBe(MAX_TIMER_MS);
    expect(nonNegativeMs("delayMs", 0)).toBe(0);
  });

  it("throws the package's own error class, naming the option and the value", () => {
    expect(() => positiveMs("timeoutMs", 0)).toThrow(InvalidOptionError);
    expect(() => positiveMs("timeoutMs", 0)).toThrow(
      "timeoutMs must be a positive finite number of milliseconds, got 0",
    );
    expect(() => nonNegativeMs("delayMs", -1)).toThrow(
      "delayMs must be zero or a positive finite number of milliseconds, got -1",
    );
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, "5", 5n, undefined]) {
      expect(() => nonNegativeMs("delayMs", value)).toThrow(InvalidOptionError);
    }
  });

  it("refuses a delay Node's timers would fire after 1 ms instead", () => {
    expect(() => positiveMs("timeoutMs", MAX_TIMER_MS + 1)).toThrow(
      `timeoutMs must be at most ${MAX_TIMER_MS} ms`,
    );
  });
});
