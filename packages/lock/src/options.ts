import type { Codec, Logger, StoreOutagePolicy } from "@mcp-persist/cache-core";
import type { StoreErrorPolicy } from "./outage-policy";

/** Options of {@link withLock}; `once` takes them too. */
export interface LockOptions {
  /**
   * Lease length in milliseconds. The lease is extended every `ttlMs / 3` while the function
   * runs, so this is not a limit on how long it may run: it is how long the lock outlives a
   * crashed holder. At most 2147483647 (Node's timer limit: the lease is renewed by timers).
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
  /** Largest backoff between two tries, in milliseconds (at most 2147483647). @default 1000 */
  retryMaxMs?: number;
  /**
   * Cancels the call (pass MCP's `extra.signal`): waiting stops and the call rejects with the
   * signal's reason; once the function runs, its own `signal` fires too.
   * @default none
   */
  signal?: AbortSignal;
  /**
   * What the lock does while its store is down (the store failed, or did not answer within
   * `storeTimeoutMs`, while the lock was being taken): `"refuse"` rejects with
   * `LockUnavailableError` and does not run the function (right for payments); `"proceed"` runs it
   * without the lock, with `locked: false` (the lock as a safety net, opted into).
   * @default "refuse"
   */
  onStoreDown?: StoreOutagePolicy;
  /**
   * @deprecated Use `onStoreDown`: `"fail"` is `"refuse"`, `"proceed"` stays `"proceed"`. Still
   * honoured until the next major version, with one `DeprecationWarning` per process.
   */
  onStoreError?: StoreErrorPolicy;
  /**
   * How long the lock waits for each store call (acquire, extend, release, record), in
   * milliseconds, at most 2147483647. A store that settles every call within this by itself
   * (`capabilities.deadlineMs`: the Redis stores' `timeoutMs`, 250 ms by default) is left to it,
   * with no second timer. Either way, a lock the store grants after the call gave up is released
   * as soon as that reply arrives.
   * @default DEFAULT_STORE_TIMEOUT_MS (250)
   */
  storeTimeoutMs?: number;
  /** First segment of the lock's keys: isolates applications sharing one store. @default "mcp" */
  namespace?: string;
  /**
   * A pino-style logger. Gets warnings (fields `event`, `store`, `err`): failed renewals,
   * releases and commits, late grants that could not be given back, runs without the lock (those
   * that repeat through an outage at most once per 10 s per kind, with a `suppressed` count),
   * results that could not be stored.
   * @default silent
   */
  logger?: Logger;
}

/** Options of {@link once}: the lock's options, plus how the result is kept. */
export interface OnceOptions extends LockOptions {
  /**
   * How long a result (or the mark of an attempt that never finished) is kept, in milliseconds:
   * within this window a retry returns the stored result instead of running the side effect again.
   * At most `Number.MAX_SAFE_INTEGER` (Redis refuses a longer `PX`).
   * @default 86_400_000 (24 hours)
   */
  resultTtlMs?: number;
  /**
   * How results become store text and back: an object with `encode(value)` and `decode(text)`,
   * checked before the function runs. @default defaultCodec (JSON plus Date, BigInt, Map, Set, undefined…)
   */
  codec?: Codec;
}
