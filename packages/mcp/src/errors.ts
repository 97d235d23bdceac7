import { InvalidOptionError, McpPersistError } from "@mcp-persist/cache-core";
import { booleanCheck, knownOptions } from "@mcp-persist/cache-core/kit";
import { describeValue } from "@mcp-persist/keys";

export const PKG = "@mcp-persist/mcp";

/** A bad option or tool declaration, thrown at `createToolPolicies` or registration: it shows at startup. */
export function invalidOption(message: string): InvalidOptionError {
  return new InvalidOptionError(PKG, message);
}

/** A switch: `true` or `false`, with the message every package gives. */
export const boolean = booleanCheck(invalidOption, describeValue);

/**
 * The check that a policy or options object names only `names` (from `optionNames`): a misspelt
 * one would otherwise be ignored without a word.
 */
export function knownNames(names: readonly string[]): (options: object, where?: string) => void {
  return knownOptions(invalidOption, names);
}

/**
 * A value passed to a function that cannot be what it needs: `mcpCaller(undefined)` (a handler that
 * took its context from the wrong parameter), `rateLimitedResult()` of a result that allowed the
 * call, an event store's stream id that is not a string, a message JSON cannot write, a session
 * value's name that is not a string. A programming error, raised before anything is stored or
 * delivered. Code `ERR_INVALID_ARGUMENT`.
 */
export class McpArgumentError extends McpPersistError {
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_INVALID_ARGUMENT", PKG, message, options);
  }
}

/**
 * The options argument of a factory: `undefined` (every default) or an object. `null` is a value,
 * and is refused as one.
 * @throws {InvalidOptionError} for anything else.
 */
export function optionsObject<T extends object>(factory: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== "object" || options === null) {
    throw invalidOption(`${factory}() takes an options object, got ${describeValue(options)}`);
  }
  return options;
}
