import {
  type Codec,
  defaultCodec,
  InvalidOptionError,
  type Logger,
  type StoreOutagePolicy,
  silentLogger,
} from "@mcp-persist/cache-core";
import {
  assertDurationMs,
  assertTtlMs,
  checkSignal,
  DEFAULT_STORE_TIMEOUT_MS,
  describeValue,
  knownOptions,
  optionNames,
  type ThrottledWarnings,
} from "@mcp-persist/cache-core/kit";
import { assertName } from "./arguments";
import { PKG } from "./errors";
import type { LockOptions, OnceOptions } from "./options";
import { resolveOutagePolicy } from "./outage-policy";
import { outageWarnings } from "./warnings";

export interface ResolvedLockOptions {
  ttlMs: number;
  waitMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  signal: AbortSignal | undefined;
  onStoreDown: StoreOutagePolicy;
  storeTimeoutMs: number;
  namespace: string;
  logger: Logger;
  /** `logger`, throttled: for warnings every call would repeat while the store is down. */
  outageWarnings: ThrottledWarnings;
}

export interface ResolvedOnceOptions extends ResolvedLockOptions {
  resultTtlMs: number;
  codec: Codec;
}

/** One call's options; a class, not a literal: it lives across store calls (cache-core README, "Per-call objects"). */
class LockSettings implements ResolvedLockOptions {
  ttlMs = 0;
  waitMs = 0;
  retryBaseMs = 0;
  retryMaxMs = 0;
  signal: AbortSignal | undefined = undefined;
  onStoreDown: StoreOutagePolicy = "refuse";
  storeTimeoutMs = 0;
  namespace = "";
  logger: Logger = silentLogger;
  outageWarnings!: ThrottledWarnings;
}

/** One `once` call's options, as {@link LockSettings}. */
class OnceSettings extends LockSettings implements ResolvedOnceOptions {
  resultTtlMs = 0;
  codec: Codec = defaultCodec;
}

const invalid = (message: string) => new InvalidOptionError(PKG, message);

/** `onStoreError`: deprecated, still honoured. */
const LOCK_OPTION_NAMES = optionNames<LockOptions>({
  ttlMs: true,
  waitMs: true,
  retryBaseMs: true,
  retryMaxMs: true,
  signal: true,
  onStoreDown: true,
  onStoreError: true,
  storeTimeoutMs: true,
  namespace: true,
  logger: true,
});
// A misspelt name (`{ ttl: 5000 }`) would otherwise run the call with the default lease, without
// a word. Checked on every call: one `for...in` over a few keys, nothing allocated.
const lockOptionNames = knownOptions(invalid, LOCK_OPTION_NAMES);
const onceOptionNames = knownOptions(invalid, [
  ...LOCK_OPTION_NAMES,
  ...optionNames<Omit<OnceOptions, keyof LockOptions>>({ resultTtlMs: true, codec: true }),
]);

/** Validates options up front, so a typo fails the first call rather than a call in an outage. */
export function resolveLockOptions(name: string, options: LockOptions): ResolvedLockOptions {
  assertName(name);
  lockOptionNames(options);
  return lockSettings(options, new LockSettings());
}

/**
 * Checks `withLock`'s options as a call would, without a store or a resource: for code that
 * declares them ahead of the calls (`@mcp-persist/mcp` checks a tool's `lock` at registration).
 * @throws {InvalidOptionError | InvalidTtlError} naming the option, as `withLock` would.
 */
export function checkLockOptions(options: LockOptions): void {
  lockOptionNames(options);
  lockSettings(options, new LockSettings());
}

/** {@link checkLockOptions} for `once`'s options. */
export function checkOnceOptions(options: OnceOptions): void {
  onceSettings(options);
}

/** `options` checked and resolved into `resolved` (a `OnceSettings` for `once`). */
function lockSettings<R extends LockSettings>(options: LockOptions, resolved: R): R {
  const { ttlMs = 30_000, waitMs = 0, retryBaseMs = 25, retryMaxMs = 1000 } = options;
  const { storeTimeoutMs = DEFAULT_STORE_TIMEOUT_MS, namespace = "mcp", logger = silentLogger } = options;
  // The lease is a TTL the store keeps; the others are waits this process times.
  assertTtlMs(ttlMs, PKG, "ttlMs");
  // The lease is renewed and watched by timers, so it is a TTL a timer must also be able to hold.
  assertDurationMs(ttlMs, PKG, "ttlMs");
  assertDurationMs(waitMs, PKG, "waitMs", true);
  assertDurationMs(retryBaseMs, PKG, "retryBaseMs");
  assertDurationMs(retryMaxMs, PKG, "retryMaxMs");
  assertDurationMs(storeTimeoutMs, PKG, "storeTimeoutMs");
  if (options.signal !== undefined) checkSignal(PKG, options.signal);
  if (typeof namespace !== "string" || namespace === "") {
    throw new InvalidOptionError(
      PKG,
      `namespace must be a non-empty string, got ${describeValue(namespace)}`,
    );
  }
  if (typeof logger !== "object" || logger === null || typeof logger.warn !== "function") {
    throw new InvalidOptionError(
      PKG,
      `logger must be a pino-style logger (an object with debug/info/warn/error methods), got ${describeValue(logger)}`,
    );
  }
  resolved.ttlMs = ttlMs;
  resolved.waitMs = waitMs;
  resolved.retryBaseMs = retryBaseMs;
  resolved.retryMaxMs = retryMaxMs;
  resolved.signal = options.signal;
  resolved.onStoreDown = resolveOutagePolicy(options.onStoreDown, options.onStoreError);
  resolved.storeTimeoutMs = storeTimeoutMs;
  resolved.namespace = namespace;
  resolved.logger = logger;
  resolved.outageWarnings = outageWarnings(logger);
  return resolved;
}

/**
 * The longest `resultTtlMs`: whole milliseconds a store is sure to take. Redis refuses a PX it
 * cannot add to its clock (from about 9.2e18 ms), and a bigger number is written as `1e+21`: the
 * script would fail on every call, as if the store were down.
 */
export const MAX_RESULT_TTL_MS = Number.MAX_SAFE_INTEGER;

export function resolveOnceOptions(key: string, options: OnceOptions): ResolvedOnceOptions {
  assertName(key);
  return onceSettings(options);
}

function onceSettings(options: OnceOptions): ResolvedOnceOptions {
  onceOptionNames(options);
  const { resultTtlMs = 86_400_000, codec = defaultCodec } = options;
  const resolved = lockSettings(options, new OnceSettings());
  assertTtlMs(resultTtlMs, PKG, "resultTtlMs");
  if (resultTtlMs > MAX_RESULT_TTL_MS) {
    throw new InvalidOptionError(
      PKG,
      `resultTtlMs must be at most ${MAX_RESULT_TTL_MS} ms (Number.MAX_SAFE_INTEGER, about 285,000 years), got ${describeValue(resultTtlMs)}`,
    );
  }
  assertCodec(codec);
  resolved.resultTtlMs = resultTtlMs;
  resolved.codec = codec;
  return resolved;
}

/**
 * A codec is checked before the side effect runs: one that cannot encode would leave the mark
 * of an attempt that did happen, and every retry would read `unknown` for `resultTtlMs`.
 */
function assertCodec(codec: unknown): asserts codec is Codec {
  const methods = codec as Partial<Codec> | null;
  if (typeof methods?.encode !== "function" || typeof methods.decode !== "function") {
    throw new InvalidOptionError(
      PKG,
      `codec must have encode(value) and decode(text) methods (cache-core's defaultCodec, or leave it out), got ${describeValue(codec)}`,
    );
  }
}
