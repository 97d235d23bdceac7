import { booleanCheck, knownOptions } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";
import type { Codec } from "./codec";
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
export const boolean = booleanCheck((message) => new InvalidOptionError(PKG, message), describeValue);

/**
 * The check that an options object of cache-core names only its options (`names`, from
 * `optionNames`): a misspelt one would fall back to its default without a word.
 */
export function known(names: readonly string[]): (options: object, where?: string) => void {
  return knownOptions((message) => new InvalidOptionError(PKG, message), names);
}

/** A whole number from `min` to `max` (a byte count, a length). */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(
      PKG,
      `${name} must be an integer from ${min} to ${max}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** A callback (a hook, a predicate). */
export function callback<F extends (...args: never[]) => unknown>(name: string, value: unknown): F {
  if (typeof value !== "function") {
    throw new InvalidOptionError(PKG, `${name} must be a function, got ${describeValue(value)}`);
  }
  return value as F;
}

/** A codec: `encode` and `decode` methods, called on the codec itself. */
export function codec(name: string, value: unknown): Codec {
  let methods = false;
  try {
    const candidate = value as Codec;
    methods = typeof candidate.encode === "function" && typeof candidate.decode === "function";
  } catch {
    // null, undefined, or a Proxy whose trap throws: not a codec
  }
  if (typeof value !== "object" || value === null || !methods) {
    throw new InvalidOptionError(
      PKG,
      `${name} must be an object with encode(value) and decode(text) methods, e.g. defaultCodec, got ${describeValue(value)}`,
    );
  }
  return value as Codec;
}
