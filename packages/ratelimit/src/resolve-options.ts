import { type Clock, type Logger, type Store, systemClock } from "@mcp-persist/cache-core";
import { keySegment } from "@mcp-persist/keys";
import { type Algorithm, type AlgorithmName, algorithms } from "./algorithms";
import { describe, RateLimitOptionError } from "./errors";
import type { LimiterOptions } from "./types";

/** {@link LimiterOptions} checked, with defaults applied. */
export interface ResolvedLimiterOptions {
  store: Store;
  fallback: Store | undefined;
  algorithm: Algorithm;
  timeoutMs: number;
  failClosed: boolean;
  probeIntervalMs: number;
  /** `<prefix>:<algorithm>`, escaped: what every key starts with. */
  keyBase: string;
  clock: Clock;
  logger: Logger | undefined;
}

/**
 * Checks the options shared by every limiter.
 * @throws {RateLimitOptionError} naming the option and the value it got.
 */
export function resolveLimiterOptions(options: LimiterOptions): ResolvedLimiterOptions {
  const store = checkStore("store", options?.store);
  const fallback = options.fallback === undefined ? undefined : checkStore("fallback", options.fallback);
  const name = options.algorithm ?? "sliding-log";
  if (!Object.hasOwn(algorithms, name)) {
    throw new RateLimitOptionError(
      `algorithm must be "sliding-log", "sliding-window" or "gcra", got ${describe(name)}`,
    );
  }
  const algorithm = algorithms[name as AlgorithmName];
  const prefix = options.prefix ?? "ratelimit";
  if (typeof prefix !== "string" || prefix.length === 0) {
    throw new RateLimitOptionError(`prefix must be a non-empty string, got ${describe(prefix)}`);
  }
  return {
    store,
    fallback,
    algorithm,
    timeoutMs: positiveMs("timeoutMs", options.timeoutMs ?? 100),
    failClosed: options.failClosed ?? false,
    probeIntervalMs: positiveMs("probeIntervalMs", options.probeIntervalMs ?? 1000),
    keyBase: `${keySegment(prefix)}:${algorithm.keyTag}`,
    clock: options.clock ?? systemClock,
    logger: options.logger,
  };
}

function checkStore(name: string, store: unknown): Store {
  const candidate = store as Partial<Store> | undefined;
  if (typeof candidate?.run !== "function" || typeof candidate.capabilities !== "object") {
    throw new RateLimitOptionError(
      `${name} must be an mcp-persist Store, e.g. lruStore() or ioredisStore({ client }), got ${describe(store)}`,
    );
  }
  if (!candidate.capabilities.scripts) {
    throw new RateLimitOptionError(
      `${name} "${candidate.name}" cannot run scripts (capabilities.scripts is false); use a store that can, such as lruStore() or a Redis store`,
    );
  }
  return candidate as Store;
}

function positiveMs(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0) || value === Number.POSITIVE_INFINITY) {
    throw new RateLimitOptionError(
      `${name} must be a positive finite number of milliseconds, got ${describe(value)}`,
    );
  }
  return value;
}
