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

/** How a rejected value is shown in a message: strings quoted, everything else as `String()` does. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  return String(value);
}
