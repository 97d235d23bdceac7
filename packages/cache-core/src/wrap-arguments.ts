import { optionNames } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";
import type { WrapOptions } from "./cache-options";
import { known } from "./check-option";
import { InvalidOptionError } from "./errors";

// The arguments of `wrap` and `delete` that are not keys' business: a mistake in them is a typed
// error naming the argument, never a TypeError from deep inside a call (or, worse, from inside a
// shared fill that other callers wait on). `wrap` tests `typeof fn` itself and calls
// `assertWrapOptions` only when options are given, so a hit without options pays one `typeof`.

const PKG = "@mcp-persist/cache-core";

/** `wrap(key, fn)` with an `fn` that is not a function. */
export function notAFunction(fn: unknown): InvalidOptionError {
  return new InvalidOptionError(
    PKG,
    `wrap(key, fn, options?) takes the function that computes the result as its second argument, got ${describeValue(fn)}`,
  );
}

/** `requireScope`: deprecated, still honoured. */
const wrapOptionNames = known(
  optionNames<WrapOptions<unknown>>({
    ttlMs: true,
    staleTtlMs: true,
    bypass: true,
    requireCaller: true,
    requireScope: true,
    isError: true,
    tool: true,
    signal: true,
  }),
);

/**
 * Throws unless `wrap`'s options can be used: an object naming only `wrap`'s options (one
 * `for...in` over its few keys, nothing allocated), and `isError`, when given, a function (it is
 * called on every result, inside the fill). The other options are checked where they are read
 * (`ttlMs`, `staleTtlMs`, `requireCaller`, `signal`).
 */
export function assertWrapOptions(options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(
      PKG,
      `wrap(key, fn, options?) takes its options as an object (e.g. { ttlMs: 60_000 }) or not at all, got ${describeValue(options)}`,
    );
  }
  wrapOptionNames(options, "wrap() options");
  const { isError } = options as { isError?: unknown };
  if (isError !== undefined && typeof isError !== "function") {
    throw new InvalidOptionError(
      PKG,
      `wrap() options: isError must be a function of the result, got ${describeValue(isError)}`,
    );
  }
}

/**
 * The error for a key that is neither a string nor a tool call. `method` is the cache method
 * that was given it (`wrap`, `delete`).
 */
export function invalidKey(method: string, key: unknown): InvalidOptionError {
  return new InvalidOptionError(
    PKG,
    `${method}() takes a string key or { tool, args, caller? }, got ${describeValue(key)}`,
  );
}

/** `delete`'s key: a string, or an object with a string `tool` (what `wrap` takes). */
export function assertDeleteKey(key: unknown): void {
  if (typeof key === "string") return;
  if (typeof (key as { tool?: unknown } | null | undefined)?.tool !== "string")
    throw invalidKey("delete", key);
}
