import { McpPersistError } from "@mcp-persist/cache-core";

export const PKG = "@mcp-persist/ratelimit";

/**
 * A limiter option outside its documented range, thrown by `createRateLimiter` and
 * `createToolRateLimiter` so a misconfiguration shows at startup. Code `ERR_INVALID_OPTION`.
 */
export class RateLimitOptionError extends McpPersistError {
  constructor(message: string) {
    super("ERR_INVALID_OPTION", PKG, message);
  }
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
