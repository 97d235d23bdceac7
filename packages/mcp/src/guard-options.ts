import { InvalidOptionError, InvalidTtlError } from "@mcp-persist/cache-core";
import { optionNames } from "@mcp-persist/cache-core/kit";
import { checkLockOptions, checkOnceOptions } from "@mcp-persist/lock";
import { invalidOption, knownNames, PKG } from "./errors";
import type { ToolLockPolicy, ToolOncePolicy } from "./tool-declaration";

// `withLock` and `once` check their options only when called: a typo in a tool's `lock` or `once`
// would then fail every call of the tool (the model reading the error). The declaration has them
// checked at registration instead, by lock's own checks, with the tool named.

/** `withLock`'s options a declaration takes: all but those in {@link NOT_HERE}. */
const LOCK_OPTIONS = {
  ttlMs: true,
  waitMs: true,
  retryBaseMs: true,
  retryMaxMs: true,
  onStoreDown: true,
  storeTimeoutMs: true,
  namespace: true,
  logger: true,
} as const;

/** The fields of each policy: its own, then the options it hands to `withLock` / `once`. */
const FIELDS = {
  lock: knownNames(
    optionNames<ToolLockPolicy<unknown, unknown>>({ resource: true, busyMessage: true, ...LOCK_OPTIONS }),
  ),
  once: knownNames(
    optionNames<ToolOncePolicy<unknown, unknown>>({
      key: true,
      busyMessage: true,
      ...LOCK_OPTIONS,
      resultTtlMs: true,
      codec: true,
    }),
  ),
};

/** Options `withLock` / `once` take that a declaration must not give, and why. */
const NOT_HERE: Record<string, string> = {
  signal: "the request's signal is passed for every call",
  onStoreError: 'it is deprecated: use onStoreDown ("refuse" or "proceed")',
};

/**
 * Checks a `lock` or `once` policy: its field names, then the options it hands to `withLock` /
 * `once` (`options`: the policy without its own fields) by lock's own checks, as every call
 * would. A misspelt name, or a value they would refuse, throws now.
 * @throws {InvalidOptionError} naming the tool and the option; {@link InvalidTtlError} for a
 * `ttlMs` or `resultTtlMs` that is not a positive number of milliseconds, as `withLock` does.
 */
export function checkGuardOptions(
  tool: string,
  kind: "lock" | "once",
  policy: object,
  options: object,
): void {
  const at = `${tool}: ${kind}`;
  for (const name in policy) {
    if (Object.hasOwn(NOT_HERE, name)) {
      throw invalidOption(`${at}.${name} cannot be given here: ${NOT_HERE[name]}`);
    }
  }
  FIELDS[kind](policy, at);
  try {
    if (kind === "lock") checkLockOptions(options);
    else checkOnceOptions(options);
  } catch (error) {
    throw namingTheTool(error, at);
  }
}

/** Lock's error, of the same class, with the tool named in front; lock's own is its `cause`. */
function namingTheTool(error: unknown, at: string): unknown {
  if (error instanceof InvalidTtlError) {
    return new InvalidTtlError(PKG, `${at}: ${error.option}`, error.value, { cause: error });
  }
  if (error instanceof InvalidOptionError) {
    const message = error.message.slice(`[${error.package}] `.length);
    return new InvalidOptionError(PKG, `${at}: ${message}`, { cause: error });
  }
  return error;
}
