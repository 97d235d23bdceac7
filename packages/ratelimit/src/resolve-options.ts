import { type Clock, type Logger, type Store, systemClock } from "@mcp-persist/cache-core";
import { describeValue, keySegment } from "@mcp-persist/keys";
import { type Algorithm, type AlgorithmName, algorithms } from "./algorithms";
import { RateLimitOptionError } from "./errors";
import type { LimiterOptions } from "./types";

/** Longest `timeoutMs`: Node's timers fire at once (with a warning) for any longer delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
 * Checks the options shared by every limiter. Each one is checked for its type, not just read:
 * `failClosed: "false"` would otherwise count as true, and a `clock` or `logger` without its
 * methods would fail later, inside a check that must never throw.
 * @throws {RateLimitOptionError} naming the option and the value it got.
 */
export function resolveLimiterOptions(options: LimiterOptions): ResolvedLimiterOptions {
  const store = checkStore("store", options?.store);
  const fallback = options.fallback === undefined ? undefined : checkStore("fallback", options.fallback);
  const name = given(options.algorithm, "sliding-log");
  if (typeof name !== "string" || !Object.hasOwn(algorithms, name)) {
    throw new RateLimitOptionError(
      `algorithm must be "sliding-log", "sliding-window" or "gcra", got ${describeValue(name)}`,
    );
  }
  const algorithm = algorithms[name as AlgorithmName];
  const prefix = given(options.prefix, "ratelimit");
  if (typeof prefix !== "string" || prefix.length === 0) {
    throw new RateLimitOptionError(`prefix must be a non-empty string, got ${describeValue(prefix)}`);
  }
  return {
    store,
    fallback,
    algorithm,
    timeoutMs: positiveMs("timeoutMs", given(options.timeoutMs, 100), MAX_TIMER_MS),
    failClosed: checkBoolean("failClosed", given(options.failClosed, false)),
    probeIntervalMs: positiveMs("probeIntervalMs", given(options.probeIntervalMs, 1000)),
    keyBase: `${keySegment(prefix)}:${algorithm.keyTag}`,
    clock: checkClock(given(options.clock, systemClock)),
    logger: options.logger === undefined ? undefined : checkLogger(options.logger),
  };
}

/** An option's value, or its default when left out. Only `undefined` is "left out": `null` is checked, and refused. */
function given<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function checkStore(name: string, store: unknown): Store {
  const candidate = store as Partial<Store> | undefined;
  if (typeof candidate?.run !== "function" || typeof candidate.capabilities !== "object") {
    throw new RateLimitOptionError(
      `${name} must be an mcp-persist Store, e.g. lruStore() or ioredisStore({ client }), got ${describeValue(store)}`,
    );
  }
  if (!candidate.capabilities?.scripts) {
    throw new RateLimitOptionError(
      `${name} ${describeValue(candidate.name)} cannot run scripts (capabilities.scripts is false); use a store that can, such as lruStore() or a Redis store`,
    );
  }
  return candidate as Store;
}

function positiveMs(name: string, value: unknown, max = Number.MAX_VALUE): number {
  if (typeof value !== "number" || !(value > 0) || value === Number.POSITIVE_INFINITY) {
    throw new RateLimitOptionError(
      `${name} must be a positive finite number of milliseconds, got ${describeValue(value)}`,
    );
  }
  if (value > max) throw new RateLimitOptionError(`${name} must be at most ${max} ms, got ${value}`);
  return value;
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new RateLimitOptionError(`${name} must be true or false, got ${describeValue(value)}`);
  }
  return value;
}

/** A clock must tell the time: it is read for every result's `resetAtMs`. */
function checkClock(clock: unknown): Clock {
  let now: unknown;
  let failure: unknown;
  try {
    now = (clock as Clock).now();
  } catch (error) {
    failure = error; // not a clock (no now()), or one that fails: either way, refused here
  }
  if (typeof now !== "number" || !Number.isFinite(now)) {
    const what =
      failure === undefined ? `its now() returned ${describeValue(now)}` : `got ${describeValue(clock)}`;
    throw new RateLimitOptionError(
      `clock must be an object whose now() returns epoch milliseconds, e.g. systemClock; ${what}`,
    );
  }
  return clock as Clock;
}

/** A logger needs the four methods of cache-core's `Logger`: a pino logger (or `console`) has them. */
function checkLogger(logger: unknown): Logger {
  const missing = (["debug", "info", "warn", "error"] as const).filter(
    (level) => typeof (logger as Partial<Logger> | null)?.[level] !== "function",
  );
  if (missing.length > 0) {
    const what =
      typeof logger === "object" && logger !== null
        ? `it has no ${missing.join(", ")}`
        : `got ${describeValue(logger)}`;
    throw new RateLimitOptionError(
      `logger must have debug, info, warn and error methods, like a pino logger; ${what}`,
    );
  }
  return logger as Logger;
}
