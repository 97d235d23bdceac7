import { InvalidTtlError } from "./errors";

/**
 * Throws {@link InvalidTtlError} unless `value` is a positive, finite number of milliseconds.
 * Fractions are allowed; stores round them up to whole milliseconds.
 *
 * @param pkg - the package reporting the error, e.g. `@mcp-persist/store-lru`
 * @param name - the option name to show in the message, e.g. `ttlMs`
 */
export function assertTtlMs(value: unknown, pkg: string, name = "ttlMs"): asserts value is number {
  if (typeof value !== "number" || !(value > 0) || value === Number.POSITIVE_INFINITY) {
    throw new InvalidTtlError(pkg, name, value);
  }
}
