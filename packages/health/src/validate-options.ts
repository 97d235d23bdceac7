import { InvalidOptionError } from "./errors";

// Node's timers hold a signed 32-bit delay: a longer one fires after 1 ms instead (with only a
// TimeoutOverflowWarning), so a check with timeoutMs 2^31 would time out on every probe.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A positive finite number of milliseconds a timer can hold, or a typed error naming the option. */
export function positiveMs(option: string, value: unknown): number {
  return timerMs(option, value, "a positive", false);
}

/** Zero or a positive finite number of milliseconds (0 turns the feature off). */
export function nonNegativeMs(option: string, value: unknown): number {
  return timerMs(option, value, "zero or a positive", true);
}

function timerMs(option: string, value: unknown, expected: string, allowZero: boolean): number {
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
}

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
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(
        `${option} has an unknown key ${describe(key)}; the keys are ${known.join(", ")}`,
      );
    }
  }
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
  if (value !== undefined && typeof value !== "boolean") {
    throw new InvalidOptionError(`${option} must be true or false, got ${describe(value)}`);
  }
  return value;
}

/** A non-empty string without a colon: it becomes one half of a `"component:measurement"` key. */
export function keyPart(option: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.includes(":")) {
    throw new InvalidOptionError(`${option} must be a non-empty string without ":", got ${describe(value)}`);
  }
  return value;
}

/** An HTTP path starting with "/". */
export function httpPath(option: string, value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) {
    throw new InvalidOptionError(`${option} must be a path starting with "/", got ${describe(value)}`);
  }
  return value;
}

/**
 * Renders an offending value for an error message. Never throws, whatever it is handed (a BigInt,
 * a symbol, `Object.create(null)`, a revoked Proxy): a bad option must end in the error that
 * explains it, not in a TypeError from building that error. A short cousin of `describeValue`
 * in `@mcp-persist/keys`, which this package does not depend on.
 */
export function describe(value: unknown): string {
  try {
    if (typeof value === "string")
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
    if (typeof value === "function") return "a function";
    if (typeof value !== "object" || value === null)
      return typeof value === "bigint" ? `${value}n` : String(value);
    return Array.isArray(value) ? "an array" : `an object with keys [${Object.keys(value).join(", ")}]`;
  } catch {
    return `an unprintable ${typeof value}`;
  }
}
