import { warnDeprecated } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";
import type { CacheOptions, ToolPolicy } from "./cache-options";
import { isErrorResult } from "./cache-options";
import { boolean, duration, fraction, nonNegative, positive } from "./check-option";
import { type Clock, systemClock } from "./clock";
import { type Codec, defaultCodec } from "./codec";
import { InvalidOptionError } from "./errors";
import type { CacheEvent } from "./events";
import { type Logger, silentLogger } from "./logger";
import type { Store } from "./store";
import { DEFAULT_STORE_TIMEOUT_MS, type StoreCaller, storeCaller } from "./store-caller";
import { requireCallerOption, resolveToolPolicies } from "./tool-policy";
import { assertTtlMs } from "./ttl";

const PKG = "@mcp-persist/cache-core";

/** {@link CacheOptions} with defaults applied and every value checked. */
export interface ResolvedOptions {
  store: Store;
  defaultTtlMs: number;
  namespace: string;
  storeTimeoutMs: number;
  /**
   * Every store call the cache makes, bounded at `storeTimeoutMs` (by the store's own deadline
   * when it is at least as short). Built once here, so the hit path allocates no caller per call.
   */
  storeCaller: StoreCaller;
  jitter: number;
  staleTtlMs: number;
  staleWhileRevalidate: boolean;
  staleIfError: boolean;
  maxValueBytes: number;
  codec: Codec;
  isError: (value: unknown) => boolean;
  generationRefreshMs: number;
  generationTtlMs: number;
  hashTag: boolean;
  digestBytes: number | undefined;
  maxArgsLength: number | undefined;
  logger: Logger;
  clock: Clock;
  onEvent: ((event: CacheEvent) => void) | undefined;
  requireCaller: boolean;
  /** Checked per-tool policies, by tool name. */
  tools: ReadonlyMap<string, ToolPolicy>;
}

/** What the cache does when its store is late: the same words in every timeout it reports. */
const STORE_TIMEOUT_CONSEQUENCE =
  "the call went on without the cache (raise storeTimeoutMs if the store is slow but healthy)";

/** `storeTimeoutMs`, or its deprecated name `opTimeoutMs` (one release), or the default. */
function resolveStoreTimeoutMs(options: CacheOptions): number {
  if (options.storeTimeoutMs !== undefined) return duration("storeTimeoutMs", options.storeTimeoutMs);
  if (options.opTimeoutMs !== undefined) {
    warnDeprecated(PKG, "createCache({ opTimeoutMs })", "storeTimeoutMs");
    return duration("opTimeoutMs", options.opTimeoutMs);
  }
  return DEFAULT_STORE_TIMEOUT_MS;
}

/** @throws {InvalidTtlError | InvalidOptionError} naming the option and what it got. */
export function resolveOptions(options: CacheOptions): ResolvedOptions {
  if (typeof options?.store?.get !== "function" || typeof options.store.capabilities !== "object") {
    throw new InvalidOptionError(PKG, "createCache needs a store, e.g. { store: lruStore({ max: 10_000 }) }");
  }
  assertTtlMs(options.defaultTtlMs, PKG, "defaultTtlMs");
  const namespace = options.namespace ?? "mcp";
  if (typeof namespace !== "string" || namespace.length === 0) {
    throw new InvalidOptionError(
      PKG,
      `namespace must be a non-empty string, got ${describeValue(namespace)}`,
    );
  }
  const storeTimeoutMs = resolveStoreTimeoutMs(options);
  return {
    store: options.store,
    defaultTtlMs: options.defaultTtlMs,
    namespace,
    storeTimeoutMs,
    storeCaller: storeCaller(options.store, {
      pkg: PKG,
      timeoutMs: storeTimeoutMs,
      consequence: STORE_TIMEOUT_CONSEQUENCE,
    }),
    jitter: fraction("jitter", options.jitter ?? 0),
    staleTtlMs: nonNegative("staleTtlMs", options.staleTtlMs ?? 0),
    staleWhileRevalidate: options.staleWhileRevalidate ?? true,
    staleIfError: options.staleIfError ?? true,
    maxValueBytes: positive("maxValueBytes", options.maxValueBytes ?? 1_048_576),
    codec: options.codec ?? defaultCodec,
    isError: options.isError ?? isErrorResult,
    generationRefreshMs: nonNegative("generationRefreshMs", options.generationRefreshMs ?? 1000),
    generationTtlMs: Math.ceil(positive("generationTtlMs", options.generationTtlMs ?? 2_592_000_000)),
    hashTag: options.hashTag ?? false,
    digestBytes: options.digestBytes,
    maxArgsLength: options.maxArgsLength,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    onEvent: options.onEvent,
    requireCaller: requireCallerOption(options, "", "createCache({ requireScope })") ?? false,
    tools: resolveToolPolicies(options.tools),
  };
}
