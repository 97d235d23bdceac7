import { booleanCheck, describe, knownOptions, timerMsChecks } from "@mcp-persist/internal";
import { InvalidOptionError } from "./errors";

/** Durations a timer measures: at most `MAX_TIMER_MS`, or every probe would time out at once. */
export const { positiveMs, nonNegativeMs } = timerMsChecks(InvalidOptionError);

const invalid = (message: string) => new InvalidOptionError(message);
const boolean = booleanCheck(invalid);

/**
 * An options object (not null, not an array). An object literal may hold no key outside
 * `known`: a misspelt option (`critcal: false`) would otherwise be ignored without a word. An
 * instance of a class (a check written as one) may carry its own state, so only literals are
 * held to the list.
 */
export function optionsObject(
  option: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(`${option} must be an object, got ${describe(value)}`);
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value as Record<string, unknown>;
  knownOptions(invalid, known)(value, option);
  return value as Record<string, unknown>;
}

/** A string, or undefined when the option is left out. */
export function optionalString(option: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== "string") {
    throw new InvalidOptionError(`${option} must be a string, got ${describe(value)}`);
  }
  return value;
}

/** A boolean, or undefined when the option is left out. */
export function optionalBoolean(option: string, value: unknown): boolean | undefined {
  return value === undefined ? undefined : boolean(option, value);
}

/** A non-empty string without a colon: it becomes one half of a `"component:measurement"` key. */
export function keyPart(option: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.includes(":")) {
    throw new InvalidOptionError(`${option} must be a non-empty string without ":", got ${describe(value)}`);
  }
  return value;
}

/**
 * An HTTP path starting with "/", without a query or fragment: requests are matched on their path
 * alone (`/readyz?verbose` is `/readyz`), so a path holding `?` or `#` could never be answered.
 */
export function httpPath(option: string, value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || /[?#]/.test(value)) {
    throw new InvalidOptionError(
      `${option} must be a path starting with "/", without "?" or "#" (the query string is ignored), got ${describe(value)}`,
    );
  }
  return value;
}
