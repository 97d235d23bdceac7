import { describeValue } from "@mcp-persist/keys";
import { assertDurationMs } from "./duration";
import { InvalidOptionError } from "./errors";

// Checks shared by createCache's options, per-tool policies and per-call options. Each names the
// option and prints what it got with describeValue, which never throws.

const PKG = "@mcp-persist/cache-core";

/** A grace window or refresh interval: a finite number ≥ 0. */
export function nonNegative(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0) || value === Number.POSITIVE_INFINITY) {
    throw new InvalidOptionError(PKG, `${name} must be a finite number ≥ 0, got ${describeValue(value)}`);
  }
  return value;
}

/** A size or a deadline: a finite number > 0. */
export function positive(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0) || value === Number.POSITIVE_INFINITY) {
    throw new InvalidOptionError(
      PKG,
      `${name} must be a positive finite number, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** A deadline a timer enforces: a number > 0 and at most `MAX_TIMER_MS`. */
export function duration(name: string, value: unknown): number {
  assertDurationMs(value, PKG, name);
  return value;
}

/** A share: 0 ≤ value < 1. */
export function fraction(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) {
    throw new InvalidOptionError(
      PKG,
      `${name} must be a fraction from 0 (inclusive) to 1 (exclusive), got ${describeValue(value)}`,
    );
  }
  return value;
}

/** A switch: `true` or `false`, nothing merely truthy (a typo must not turn a safety off or on). */
export function boolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new InvalidOptionError(PKG, `${name} must be true or false, got ${describeValue(value)}`);
  }
  return value;
}
