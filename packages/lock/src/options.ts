import {
  assertTtlMs,
  type Codec,
  defaultCodec,
  InvalidOptionError,
  type Logger,
  silentLogger,
} from "@mcp-persist/cache-core";
import { assertName } from "./arguments";
import { PKG } from "./errors";

/** What `withLock` and `once` do when the store fails or times out while taking the lock. */
export type StoreErrorPolicy = "fail" | "proceed";

/** Options of {@link withLock}; `once` takes them too. */
export interface LockOptions {
  /**
   * Lease length in milliseconds. The lease is extended every `ttlMs / 3` while the function
   * runs, so this is not a limit on how long it may run: it is how long the lock outlives a
   * crashed holder.
   * @default 30_000
   */
  ttlMs?: number;
  /**
   * How long to keep trying when the lock is busy, in milliseconds, with full-jitter backoff.
   * `0` tries once and returns the busy outcome at once.
   * @default 0
   */
  waitMs?: number;
  /** Backoff before the first retry is a random delay up to this many milliseconds; it doubles per retry. @default 25 */
  retryBaseMs?: number;
  /** Largest backoff between two tries, in milliseconds. @default 1000 */
  retryMaxMs?: number;
  /**
   * Cancels the call (pass MCP's `extra.signal`): waiting stops and the call rejects with the
   * signal's reason; once the function runs, its own `signal` fires too.
   * @default none
   */
  signal?: AbortSignal;
  /**
   * When the store fails or does not answer within `storeTimeoutMs` while taking the lock:
   * `"fail"` rejects with `LockUnavailableError` and does not run the function (safe for payments);
   * `"proceed"` runs it without the lock (the lock as a safety net) with `locked: false`.
   * @default "fail"
   */
  onStoreError?: StoreErrorPolicy;
  /**
   * Deadline for each store call (acquire, extend, release, record), in milliseconds. A store
   * that declares a shorter deadline of its own (`capabilities.deadlineMs`: the Redis stores'
   * `timeoutMs`, 250 ms by default) is left to it, with no second timer. Either way, a lock the
   * store grants after the call gave up is released as soon as that reply arrives.
   * @default 1000
   */
  storeTimeoutMs?: number;
  /** First segment of the lock's keys: isolates applications sharing one store. @default "mcp" */
  namespace?: string;
  /** Receives warnings: failed extensions and releases, results that could not be stored. @default silent */
  logger?: Logger;
}

/** Options of {@link once}: the lock's options, plus how the result is kept. */
export interface OnceOptions extends LockOptions {
  /**
   * How long a result (or the mark of an attempt that never finished) is kept, in milliseconds:
   * within this window a retry returns the stored result instead of running the side effect again.
   * @default 86_400_000 (24 hours)
   */
  resultTtlMs?: number;
  /** How results become store text and back. @default defaultCodec (JSON plus Date, BigInt, Map, Set, undefined…) */
  codec?: Codec;
}

export interface ResolvedLockOptions {
  ttlMs: number;
  waitMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  signal: AbortSignal | undefined;
  onStoreError: StoreErrorPolicy;
  storeTimeoutMs: number;
  namespace: string;
  logger: Logger;
}

export interface ResolvedOnceOptions extends ResolvedLockOptions {
  resultTtlMs: number;
  codec: Codec;
}

/** Validates options up front, so a typo fails the first call rather than a call in an outage. */
export function resolveLockOptions(name: string, options: LockOptions): ResolvedLockOptions {
  assertName(name);
  const resolved: ResolvedLockOptions = {
    ttlMs: options.ttlMs ?? 30_000,
    waitMs: options.waitMs ?? 0,
    retryBaseMs: options.retryBaseMs ?? 25,
    retryMaxMs: options.retryMaxMs ?? 1000,
    signal: options.signal,
    onStoreError: options.onStoreError ?? "fail",
    storeTimeoutMs: options.storeTimeoutMs ?? 1000,
    namespace: options.namespace ?? "mcp",
    logger: options.logger ?? silentLogger,
  };
  for (const key of ["ttlMs", "retryBaseMs", "retryMaxMs", "storeTimeoutMs"] as const) {
    assertTtlMs(resolved[key], PKG, key);
  }
  if (typeof resolved.waitMs !== "number" || !(resolved.waitMs >= 0) || !Number.isFinite(resolved.waitMs)) {
    throw new InvalidOptionError(
      PKG,
      `waitMs must be a finite number of milliseconds, 0 or more, got ${String(resolved.waitMs)}`,
    );
  }
  if (resolved.onStoreError !== "fail" && resolved.onStoreError !== "proceed") {
    throw new InvalidOptionError(
      PKG,
      `onStoreError must be "fail" or "proceed", got ${JSON.stringify(resolved.onStoreError)}`,
    );
  }
  if (resolved.signal !== undefined && !(resolved.signal instanceof AbortSignal)) {
    throw new InvalidOptionError(PKG, "signal must be an AbortSignal (e.g. MCP's extra.signal)");
  }
  if (typeof resolved.namespace !== "string" || resolved.namespace === "") {
    throw new InvalidOptionError(
      PKG,
      `namespace must be a non-empty string, got ${String(resolved.namespace)}`,
    );
  }
  return resolved;
}

export function resolveOnceOptions(key: string, options: OnceOptions): ResolvedOnceOptions {
  const resolved = {
    ...resolveLockOptions(key, options),
    resultTtlMs: options.resultTtlMs ?? 86_400_000,
    codec: options.codec ?? defaultCodec,
  };
  assertTtlMs(resolved.resultTtlMs, PKG, "resultTtlMs");
  return resolved;
}
