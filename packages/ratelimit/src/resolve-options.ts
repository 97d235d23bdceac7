import {
  type Clock,
  type Logger,
  type Store,
  type StoreOutagePolicy,
  systemClock,
} from "@mcp-persist/cache-core";
import {
  assertClock,
  assertDurationMs,
  assertLogger,
  assertStore,
  DEFAULT_STORE_TIMEOUT_MS,
  describeValue,
  given,
  STORE_OUTAGE_POLICIES,
  warnDeprecated,
} from "@mcp-persist/cache-core/kit";
import { booleanCheck, knownOptions, optionNames } from "@mcp-persist/internal";
import { keySegment } from "@mcp-persist/keys";
import { type Algorithm, type AlgorithmName, algorithms } from "./algorithms";
import { invalidOption, PKG } from "./errors";
import type { LimiterOptions } from "./types";

const checkBoolean = booleanCheck(invalidOption, describeValue);

/** Every limiter's options; `timeoutMs`, `failClosed` and `fallback`: deprecated, still honoured. */
const LIMITER_OPTION_NAMES = optionNames<LimiterOptions>({
  store: true,
  algorithm: true,
  storeTimeoutMs: true,
  timeoutMs: true,
  onStoreDown: true,
  failClosed: true,
  fallbackStore: true,
  fallback: true,
  probeIntervalMs: true,
  prefix: true,
  clock: true,
  logger: true,
});

/** {@link LimiterOptions} checked, with defaults applied. */
export interface ResolvedLimiterOptions {
  store: Store;
  fallbackStore: Store | undefined;
  algorithm: Algorithm;
  storeTimeoutMs: number;
  onStoreDown: StoreOutagePolicy;
  probeIntervalMs: number;
  /** `<prefix>:<algorithm>`, escaped: what every key starts with. */
  keyBase: string;
  clock: Clock;
  logger: Logger | undefined;
}

/**
 * Checks the options shared by every limiter. Each one is checked for its type, not just read:
 * `onStoreDown: "Refuse"` would otherwise count as "proceed", and a `clock` or `logger` without
 * its methods would fail later, inside a check that must never throw. The names deprecated in
 * favour of `storeTimeoutMs`, `onStoreDown` and `fallbackStore` still work, with one warning. A
 * name that is neither one of these nor one of the limiter's `own` (its rules) is refused: a
 * misspelt limit or outage policy would otherwise fall back to its default without a word.
 * @throws {InvalidOptionError} naming the option and the value it got.
 */
export function resolveLimiterOptions(
  options: LimiterOptions,
  own: readonly string[],
): ResolvedLimiterOptions {
  knownOptions(invalidOption, [...LIMITER_OPTION_NAMES, ...own])(options ?? {});
  const store = checkStore("store", options?.store);
  const fallbackName = renamed(options, "fallback", "fallbackStore");
  const fallbackValue = options[fallbackName];
  const fallbackStore = fallbackValue === undefined ? undefined : checkStore(fallbackName, fallbackValue);
  const name = given(options.algorithm, "sliding-log");
  if (typeof name !== "string" || !Object.hasOwn(algorithms, name)) {
    throw invalidOption(
      `algorithm must be "sliding-log", "sliding-window" or "gcra", got ${describeValue(name)}`,
    );
  }
  const algorithm = algorithms[name as AlgorithmName];
  const prefix = given(options.prefix, "ratelimit");
  if (typeof prefix !== "string" || prefix.length === 0) {
    throw invalidOption(`prefix must be a non-empty string, got ${describeValue(prefix)}`);
  }
  const timeoutName = renamed(options, "timeoutMs", "storeTimeoutMs");
  // A clock is read for every result's `resetAtMs`, a logger during outages: checked here.
  const clock = given<unknown>(options.clock, systemClock);
  assertClock(clock, PKG);
  const { logger } = options;
  if (logger !== undefined) assertLogger(logger, PKG);
  return {
    store,
    fallbackStore,
    algorithm,
    storeTimeoutMs: durationMs(timeoutName, given(options[timeoutName], DEFAULT_STORE_TIMEOUT_MS)),
    onStoreDown: outagePolicy(options),
    probeIntervalMs: durationMs("probeIntervalMs", given(options.probeIntervalMs, 1000)),
    keyBase: `${keySegment(prefix)}:${algorithm.keyTag}`,
    clock,
    logger,
  };
}

/**
 * Which of an option's two names to read: the new one, or the deprecated one (with its one-time
 * warning) when only that is given. Both at once is a mistake worth refusing: which one wins?
 */
function renamed<Old extends keyof LimiterOptions, New extends keyof LimiterOptions>(
  options: LimiterOptions,
  old: Old,
  replacement: New,
): Old | New {
  if (options[old] === undefined) return replacement;
  if (options[replacement] !== undefined) {
    throw invalidOption(`${old} is the deprecated name of ${replacement}: give only ${replacement}`);
  }
  warnDeprecated(PKG, old, replacement);
  return old;
}

/** `onStoreDown`, or the deprecated `failClosed` read as it (true: "refuse", false: "proceed"). */
function outagePolicy(options: LimiterOptions): StoreOutagePolicy {
  if (options.failClosed !== undefined) {
    if (options.onStoreDown !== undefined) {
      throw invalidOption(
        'failClosed is the deprecated form of onStoreDown: give only onStoreDown ("proceed" or "refuse")',
      );
    }
    warnDeprecated(PKG, "failClosed", 'onStoreDown: "refuse" (or "proceed")');
    return checkBoolean("failClosed", options.failClosed) ? "refuse" : "proceed";
  }
  const policy: unknown = given(options.onStoreDown, "proceed");
  if (!STORE_OUTAGE_POLICIES.includes(policy as StoreOutagePolicy)) {
    throw invalidOption(`onStoreDown must be "proceed" or "refuse", got ${describeValue(policy)}`);
  }
  return policy as StoreOutagePolicy;
}

function checkStore(name: string, store: unknown): Store {
  assertStore(store, PKG, name);
  return store;
}

function durationMs(name: string, value: unknown): number {
  assertDurationMs(value, PKG, name);
  return value;
}
