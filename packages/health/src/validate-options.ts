import { HealthOptionError } from "./errors";

/** A positive finite number of milliseconds, or a typed error naming the option. */
export function positiveMs(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new HealthOptionError(
      `${option} must be a positive finite number of milliseconds, got ${describe(value)}`,
    );
  }
  return value;
}

/** Zero or a positive finite number of milliseconds (0 turns the feature off). */
export function nonNegativeMs(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new HealthOptionError(
      `${option} must be zero or a positive finite number of milliseconds, got ${describe(value)}`,
    );
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

export function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
