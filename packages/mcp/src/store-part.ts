import { type Logger, type Store, silentLogger, systemClock } from "@mcp-persist/cache-core";
import {
  assertDurationMs,
  assertLogger,
  DEFAULT_STORE_TIMEOUT_MS,
  describeValue,
  isStore,
  type StoreCaller,
  storeCaller,
  ThrottledWarnings,
} from "@mcp-persist/cache-core/kit";
import { keySegment } from "@mcp-persist/keys";
import { invalidOption, optionsObject, PKG } from "./errors";

/** The options every part of this package that keeps data in a store takes (event store, session state). */
export interface StorePartOptions {
  namespace?: string;
  storeTimeoutMs?: number;
  logger?: Logger;
}

/** What such a part is built on, its common options checked. */
export interface StorePart<O> {
  /** The options object, for the part's own options (not checked here). */
  readonly options: O;
  /** The store, each call bounded by `storeTimeoutMs`. */
  readonly caller: StoreCaller;
  /** The logger's warnings, throttled per kind. */
  readonly warnings: ThrottledWarnings;
  /** `namespace`, as a key segment: the first segment of the part's keys. */
  readonly namespace: string;
}

/**
 * Checks the store and the options every store-backed part takes, in the order a factory checks
 * its arguments, and builds what they share. `consequence` completes the caller's timeout message:
 * what a store that does not answer costs the application.
 * @throws {InvalidOptionError} for a bad store, options object, `namespace`, `storeTimeoutMs` or `logger`.
 */
export function storePart<O extends StorePartOptions>(
  factory: string,
  store: Store,
  options: O | undefined,
  consequence: string,
): StorePart<O> {
  if (!isStore(store)) {
    throw invalidOption(`${factory}() takes an mcp-persist Store first, got ${describeValue(store)}`);
  }
  const checked = optionsObject(factory, options);
  const { namespace = "mcp", storeTimeoutMs = DEFAULT_STORE_TIMEOUT_MS, logger = silentLogger } = checked;
  assertLogger(logger, PKG);
  assertDurationMs(storeTimeoutMs, PKG, "storeTimeoutMs");
  if (typeof namespace !== "string" || namespace === "") {
    throw invalidOption(`namespace must be a non-empty string, got ${describeValue(namespace)}`);
  }
  return {
    options: checked,
    caller: storeCaller(store, { pkg: PKG, timeoutMs: storeTimeoutMs, consequence }),
    warnings: new ThrottledWarnings(logger, systemClock),
    namespace: keySegment(namespace),
  };
}
