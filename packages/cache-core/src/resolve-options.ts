import { describeValue } from "@mcp-persist/keys";
import type { CacheOptions, ToolPolicy } from "./cache-options";
import { isErrorResult } from "./cache-options";
import { boolean, fraction, nonNegative, positive } from "./check-option";
import { type Clock, systemClock } from "./clock";
import { type Codec, defaultCodec } from "./codec";
import { type Bound, storeBound } from "./deadline";
import { InvalidOptionError } from "./errors";
import type { CacheEvent } from "./events";
import { type Logger, silentLogger } from "./logger";
import type { Store } from "./store";
import { resolveToolPolicies } from "./tool-policy";
import { assertTtlMs } from "./ttl";

const PKG = "@mcp-persist/cache-core";

/** {@link CacheOptions} with defaults applied and every value checked. */
export interface ResolvedOptions {
  store: Store;
  defaultTtlMs: number;
  namespace: string;
  opTimeoutMs: number;
  /** Bounds a store call at `opTimeoutMs` (or not at all when the store bounds itself within it). */
  bound: Bound;
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
  requireScope: boolean;
  /** Checked per-tool policies, by tool name. */
  tools: ReadonlyMap<string, ToolPolicy>;
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
  const opTimeoutMs = positive("opTimeoutMs", options.opTimeoutMs ?? 250);
  return {
    store: options.store,
    defaultTtlMs: options.defaultTtlMs,
    namespace,
    opTimeoutMs,
    bound: storeBound(options.store, opTimeoutMs),
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
    requireScope: boolean("requireScope", options.requireScope ?? false),
    tools: resolveToolPolicies(options.tools),
  };
}
