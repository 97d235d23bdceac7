import { HealthOptionError } from "./errors";

// Node's timers hold a signed 32-bit delay: a longer one fires after 1 ms instead (with only a
// TimeoutOverflowWarning), so a check with timeoutMs 2^31 would time out on every probe.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A positive finite number of milliseconds a timer can hold, or a typed error naming the option. */
export function positiveMs(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new HealthOptionError(
      `${option} must be a positive finite number of milliseconds, got ${describe(value)}`,
    );
  }
  return belowTimerLimit(option, value);
}

/** Zero or a positive finite number of milliseconds (0 turns the feature off). */
export function nonNegativeMs(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new HealthOptionError(
      `${option} must be zero or a positive finite number of milliseconds, got ${describe(value)}`,
    );
  }
  return belowTimerLimit(option, value);
}

function belowTimerLimit(option: string, value: number): number {
  if (value > MAX_TIMER_MS) {
    throw new HealthOptionError(
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
    throw new HealthOptionError(`${option} must be an object, got ${describe(value)}`);
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new HealthOptionError(
        `${option} has an unknown key ${describe(key)}; the keys are ${known.join(", ")}`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** A string, or undefined when the option is left out. */
export function optionalString(option: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== "string") {
    throw new HealthOptionError(`${option} must be a string, got ${describe(value)}`);
  }
  return value;
}

/** A boolean, or undefined when the option is left out. */
export function optionalBoolean(option: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    throw new HealthOptionError(`${option} must be true or false, got ${describe(value)}`);
  }
  return value;
}

/** A non-empty string without a colon: it becomes one half of a `"component:measurement"` key. */
export function keyPart(option: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.includes(":")) {
    throw new HealthOptionError(`${option} must be a non-empty string without ":", got ${describe(value)}`);
  }
  return value;
}

/** An HTTP path starting with "/". */
export function httpPath(option: string, value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) {
    throw new HealthOptionError(`${option} must be a path starting with "/", got ${describe(value)}`);
  }
  return value;
}

/**
 * Renders an offending value for an error message. Never throws, whatever it is handed
 * (a BigInt, a symbol, `Object.create(null)`, a revoked Proxy): a bad option must end in the
 * error that explains it, not in a TypeError from building that error.
 */
export function describe(value: unknown): string {
  try {
    switch (typeof value) {
      case "string":
        return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
      case "bigint":
        return `${value}n`;
      case "symbol":
        return value.toString();
      case "function":
        return "a function";
      case "object":
        if (value === null) return "null";
        if (Array.isArray(value)) return "an array";
        return `an object with keys [${Object.keys(value).join(", ")}]`;
      default:
        return String(value);
    }
  } catch {
    return `an unprintable ${typeof value}`;
  }
}
