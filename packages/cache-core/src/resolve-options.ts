import { given, optionNames, warnDeprecated } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";
import type { CacheOptions, FleetSingleFlight, L1Options, ToolPolicy } from "./cache-options";
import { isErrorResult } from "./cache-options";
import { assertClock, assertLogger, assertStore } from "./check-contract";
import {
  boolean,
  callback,
  codec,
  duration,
  fraction,
  integer,
  known,
  nonNegative,
  positive,
} from "./check-option";
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
  /** The in-process first tier; `undefined` when off or when the store is not shared. */
  l1: L1Settings | undefined;
  /** The fleet-wide single-flight; `undefined` for `"process"` or when the store is not shared. */
  fleet: FleetSettings | undefined;
}

/** `l1` with its defaults applied. */
export interface L1Settings {
  maxEntries: number;
  ttlMs: number;
}

/** `singleFlight: "fleet"` with its defaults applied. */
export interface FleetSettings {
  leaseTtlMs: number;
  waitMs: number;
  pollMs: number;
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

/** `opTimeoutMs` and `requireScope`: deprecated, still honoured. */
const cacheOptionNames = known(
  optionNames<CacheOptions>({
    store: true,
    defaultTtlMs: true,
    namespace: true,
    storeTimeoutMs: true,
    opTimeoutMs: true,
    jitter: true,
    staleTtlMs: true,
    staleWhileRevalidate: true,
    staleIfError: true,
    maxValueBytes: true,
    codec: true,
    isError: true,
    generationRefreshMs: true,
    generationTtlMs: true,
    hashTag: true,
    digestBytes: true,
    maxArgsLength: true,
    logger: true,
    clock: true,
    onEvent: true,
    requireCaller: true,
    requireScope: true,
    tools: true,
    l1: true,
    singleFlight: true,
  }),
);
const l1OptionNames = known(optionNames<L1Options>({ maxEntries: true, ttlMs: true }));
const singleFlightNames = known(
  optionNames<FleetSingleFlight>({ mode: true, leaseTtlMs: true, waitMs: true, pollMs: true }),
);

/** Bytes of SHA-256 kept in argument digests: `digest()` of `@mcp-persist/keys` takes 8 to 32. */
const DIGEST_BYTES = { min: 8, max: 32 } as const;
/** The largest `maxLength` `canonicalize()` of `@mcp-persist/keys` takes. */
const MAX_ARGS_LENGTH = 50_000_000;

/**
 * Every option is checked for its type where it is given, not just read: a `logger` or `clock`
 * without its methods, a `codec` without `decode`, a `digestBytes` keys cannot use would
 * otherwise fail (or silently bypass the cache) on every call. Only `undefined` takes the
 * default: `null` is refused like any other wrong value.
 * @throws {InvalidTtlError | InvalidOptionError} naming the option and what it got.
 */
export function resolveOptions(options: CacheOptions): ResolvedOptions {
  assertStore(options?.store, PKG, "store");
  cacheOptionNames(options);
  assertTtlMs(options.defaultTtlMs, PKG, "defaultTtlMs");
  const namespace = given(options.namespace, "mcp");
  if (typeof namespace !== "string" || namespace.length === 0) {
    throw new InvalidOptionError(
      PKG,
      `namespace must be a non-empty string, got ${describeValue(namespace)}`,
    );
  }
  const storeTimeoutMs = resolveStoreTimeoutMs(options);
  const logger = given<unknown>(options.logger, silentLogger);
  assertLogger(logger, PKG);
  const clock = given<unknown>(options.clock, systemClock);
  assertClock(clock, PKG);
  const { digestBytes, maxArgsLength, onEvent } = options;
  const l1 = resolveL1(options.l1);
  const fleet = resolveSingleFlight(options.singleFlight);
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
    jitter: fraction("jitter", given(options.jitter, 0)),
    staleTtlMs: nonNegative("staleTtlMs", given(options.staleTtlMs, 0)),
    staleWhileRevalidate: boolean("staleWhileRevalidate", given(options.staleWhileRevalidate, true)),
    staleIfError: boolean("staleIfError", given(options.staleIfError, true)),
    maxValueBytes: positive("maxValueBytes", given(options.maxValueBytes, 1_048_576)),
    codec: codec("codec", given<unknown>(options.codec, defaultCodec)),
    isError: callback("isError", given<unknown>(options.isError, isErrorResult)),
    generationRefreshMs: nonNegative("generationRefreshMs", given(options.generationRefreshMs, 1000)),
    generationTtlMs: Math.ceil(positive("generationTtlMs", given(options.generationTtlMs, 2_592_000_000))),
    hashTag: boolean("hashTag", given(options.hashTag, false)),
    digestBytes:
      digestBytes === undefined
        ? undefined
        : integer("digestBytes", digestBytes, DIGEST_BYTES.min, DIGEST_BYTES.max),
    maxArgsLength:
      maxArgsLength === undefined ? undefined : integer("maxArgsLength", maxArgsLength, 1, MAX_ARGS_LENGTH),
    logger,
    clock,
    onEvent: onEvent === undefined ? undefined : callback("onEvent", onEvent),
    requireCaller: requireCallerOption(options, "", "createCache({ requireScope })") ?? false,
    tools: resolveToolPolicies(options.tools),
    // Checked whatever the store, so a mistake shows before the store is swapped for Redis.
    l1: options.store.capabilities.shared === true ? l1 : undefined,
    fleet: options.store.capabilities.shared === true ? fleet : undefined,
  };
}

/** The largest `l1.maxEntries`: a bound, not a target (each entry holds its text). */
const MAX_L1_ENTRIES = 10_000_000;

/** `l1`: `true` (defaults), `false`/left out (off), or `{ maxEntries?, ttlMs? }`. */
function resolveL1(value: unknown): L1Settings | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { maxEntries: 10_000, ttlMs: 5_000 };
  if (typeof value !== "object" || value === null) {
    throw new InvalidOptionError(
      PKG,
      `l1 must be true, false or { maxEntries?, ttlMs? }, got ${describeValue(value)}`,
    );
  }
  l1OptionNames(value, "l1");
  const { maxEntries, ttlMs } = value as L1Options;
  return {
    maxEntries: integer("l1.maxEntries", given(maxEntries, 10_000), 1, MAX_L1_ENTRIES),
    ttlMs: duration("l1.ttlMs", given(ttlMs, 5_000)),
  };
}

/** `singleFlight`: `"process"` (left out), `"fleet"`, or `{ mode: "fleet", leaseTtlMs?, waitMs?, pollMs? }`. */
function resolveSingleFlight(value: unknown): FleetSettings | undefined {
  if (value === undefined || value === "process") return undefined;
  const defaults: FleetSettings = { leaseTtlMs: 5_000, waitMs: 10_000, pollMs: 100 };
  if (value === "fleet") return defaults;
  if (typeof value !== "object" || value === null || (value as FleetSingleFlight).mode !== "fleet") {
    throw new InvalidOptionError(
      PKG,
      `singleFlight must be "process", "fleet" or { mode: "fleet", leaseTtlMs?, waitMs?, pollMs? }, got ${describeValue(value)}`,
    );
  }
  singleFlightNames(value, "singleFlight");
  const { leaseTtlMs, waitMs, pollMs } = value as FleetSingleFlight;
  return {
    leaseTtlMs: Math.ceil(duration("singleFlight.leaseTtlMs", given(leaseTtlMs, defaults.leaseTtlMs))),
    waitMs: duration("singleFlight.waitMs", given(waitMs, defaults.waitMs)),
    pollMs: duration("singleFlight.pollMs", given(pollMs, defaults.pollMs)),
  };
}
