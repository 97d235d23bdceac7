import { InvalidOptionError, McpPersistError } from "@mcp-persist/cache-core";

export const PKG = "@mcp-persist/mcp";

/** A bad option or tool declaration, thrown at `createToolPolicies` or registration: it shows at startup. */
export function invalidOption(message: string): InvalidOptionError {
  return new InvalidOptionError(PKG, message);
}

/**
 * A value passed to a helper that cannot be what it needs: `mcpCaller(undefined)` (a handler that
 * took its context from the wrong parameter), or `rateLimitedResult()` of a result that allowed the
 * call. Code `ERR_INVALID_ARGUMENT`.
 */
export class McpArgumentError extends McpPersistError {
  constructor(message: string) {
    super("ERR_INVALID_ARGUMENT", PKG, message);
  }
}
