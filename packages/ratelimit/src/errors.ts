import { InvalidOptionError, McpPersistError } from "@mcp-persist/cache-core";

export const PKG = "@mcp-persist/ratelimit";

/**
 * @deprecated Use `InvalidOptionError` from `@mcp-persist/cache-core`: the limiter throws that
 * class (code `ERR_INVALID_OPTION`), as every mcp-persist package does for a bad option. This name
 * is the same class, so `instanceof` holds either way; it goes in the next major.
 */
export const RateLimitOptionError = InvalidOptionError;
/** @deprecated Use `InvalidOptionError` from `@mcp-persist/cache-core`. */
export type RateLimitOptionError = InvalidOptionError;

/** An option outside its documented range, thrown at construction: a misconfiguration shows at startup. */
export function invalidOption(message: string): InvalidOptionError {
  return new InvalidOptionError(PKG, message);
}

/**
 * A `cost` passed to `check()` that is not a positive integer, or that exceeds the smallest limit
 * it is checked against (such a check could never be allowed). Code `ERR_INVALID_COST`.
 */
export class RateLimitCostError extends McpPersistError {
  constructor(message: string) {
    super("ERR_INVALID_COST", PKG, message);
  }
}

/**
 * A value passed to a helper that cannot be what it needs: `mcpCaller(undefined)` (a handler that
 * took `extra` from the wrong parameter) or `rateLimitedResult()` of a result that allowed the
 * call. Code `ERR_INVALID_ARGUMENT`.
 */
export class RateLimitArgumentError extends McpPersistError {
  constructor(message: string) {
    super("ERR_INVALID_ARGUMENT", PKG, message);
  }
}
