import type { StoreBus } from "./bus";
import type { Clock } from "./clock";
import type { Script, ScriptArg, ScriptReply } from "./script";

/**
 * What a store declares it can do. The cache and the conformance kit read these flags instead of
 * calling a method and catching "not implemented".
 */
export interface StoreCapabilities {
  /** Entries are visible to other processes (Redis), not only to this one (LRU). */
  readonly shared: boolean;
  /**
   * The store is a Redis Cluster: the keys of one script call must hash to one slot (give them a
   * common hash tag, e.g. `{user:42}`), or the call rejects with `CrossSlotError`
   * (`ERR_CROSS_SLOT`). In-process stores and single Redis servers say `false`.
   */
  readonly cluster: boolean;
  /**
   * The store settles every `get`/`set`/`delete`/`run` within this many milliseconds by itself
   * (the Redis stores: their `timeoutMs`; the in-process stores: 0, every call is settled when it
   * returns). A capability whose `storeTimeoutMs` is at least this adds no timer of its own. A
   * wrapper that can delay or hold back the calls it passes on must not pass this on.
   */
  readonly deadlineMs?: number;
}

/** Options of one {@link Store.run} call. */
export interface RunOptions<R extends ScriptReply = ScriptReply> {
  /**
   * Called once with the reply (mapped as `run` resolves it) of a call the store already gave up
   * on — it rejected with a timeout — when that reply arrives after all: the script ran, late.
   * A capability that took something in the script (a lock) gives it back here, instead of
   * leaving it held by a caller that was told it failed. What it throws is dropped.
   * In-process stores settle every call synchronously and never call it.
   * @default none: a late reply is dropped
   */
  onLateReply?: (reply: R) => void;
}

/**
 * The storage contract every mcp-persist store implements, in process or on Redis.
 *
 * Keys and values are strings (well-formed Unicode: Redis keeps UTF-8 bytes, so lone surrogates
 * would not survive). Encoding rich values is the cache's job (see `Codec`), not the store's.
 * Every write carries a TTL: no TTL, no entry.
 */
export interface Store {
  /** Short label for logs and errors, e.g. `lru` or `ioredis`. */
  readonly name: string;
  /** What this store can do; see {@link StoreCapabilities}. */
  readonly capabilities: StoreCapabilities;
  /** The value, or `undefined` if missing or expired. (Redis: GET) */
  get(key: string): Promise<string | undefined>;
  /**
   * Optional, for in-process stores only: `get` answered synchronously. A synchronous call cannot
   * hang, so the cache reads through it with no promise and no deadline on its hit path. Throws
   * `StoreClosedError` after `close()`. Stores that do I/O must not define it.
   */
  getSync?(key: string): string | undefined;
  /**
   * Stores `value` for `ttlMs` milliseconds, absolute from now: reads never extend it.
   * Rejects with `InvalidTtlError` unless `ttlMs` is a positive finite number; fractions round up.
   * (Redis: SET key value PX ttl)
   */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes the key; `true` if a live entry was removed. (Redis: DEL) */
  delete(key: string): Promise<boolean>;
  /**
   * Runs one script atomically and resolves with its reply. (Redis: EVALSHA, EVAL on NOSCRIPT)
   * Every store runs scripts.
   *
   * A store that gives up on a call (its deadline passed) cannot take the script back: it may
   * still run. Such a store must hand the reply, should it arrive after all, to
   * `options.onLateReply` (see {@link RunOptions}).
   */
  run<R extends ScriptReply>(
    script: Script<R>,
    keys: readonly string[],
    args: readonly ScriptArg[],
    options?: RunOptions<R>,
  ): Promise<R>;
  /**
   * Optional, for in-process stores only: `run` answered synchronously, returning the reply or
   * throwing what `run` would reject with (`ScriptError`, `StoreClosedError`). A synchronous call
   * cannot hang, so a capability runs its scripts through it with no promise and no deadline (the
   * rate limiter's in-process checks). Stores that do I/O must not define it, and a wrapper that
   * changes what `run` does must change or drop `runSync` too, as for `getSync`.
   */
  runSync?<R extends ScriptReply>(script: Script<R>, keys: readonly string[], args: readonly ScriptArg[]): R;
  /**
   * Optional, for in-process stores only (with `runSync`): the clock its scripts read
   * (`ctx.now()`) and its TTLs count by. A capability whose own clock is this very object may take
   * the time a script replied as its own reading of that clock, rather than read it again (the
   * rate limiter's in-process checks). A wrapper that changes what `runSync` reads must drop it.
   */
  readonly clock?: Clock;
  /**
   * Optional: messages between the processes that share this store (Redis: PUBLISH / SUBSCRIBE on
   * a connection of its own). The Redis stores and the in-process stores define it; a capability
   * that finds none works without (an in-process first tier then relies on its TTL alone).
   */
  readonly bus?: StoreBus;
  /** Round-trip latency in milliseconds (finite, ≥ 0). Rejects when the store is unreachable. (Redis: PING) */
  ping(): Promise<number>;
  /**
   * Lets calls already started finish, then releases the store. Idempotent. Every call made after
   * it rejects with `StoreClosedError`. (Redis: QUIT)
   */
  close(): Promise<void>;
}
