import type { Clock } from "./clock";
import type { Codec } from "./codec";
import type { CacheEvent } from "./events";
import type { Logger } from "./logger";
import type { Store } from "./store";

/** Options of {@link createCache}. */
export interface CacheOptions {
  /** Where entries live: `lruStore()` in process, a Redis store for a fleet. */
  store: Store;
  /** TTL in milliseconds for calls that do not pass `ttlMs`. Required: no TTL, no entry. */
  defaultTtlMs: number;
  /** First segment of every key: isolates this cache from others on the same store. @default "mcp" */
  namespace?: string;
  /**
   * How long the cache waits for its store, in ms, on each call (at most 2147483647). A call that
   * fails or takes longer goes on without the cache (logged, counted): a slow store adds at most
   * this much to a tool call. A store that settles every call within this by itself (the Redis
   * stores, with their own `timeoutMs`) gets no second timer.
   * @default 250 (DEFAULT_STORE_TIMEOUT_MS)
   */
  storeTimeoutMs?: number;
  /**
   * @deprecated renamed `storeTimeoutMs`; still honoured (with a one-time DeprecationWarning)
   * until the next major. `storeTimeoutMs` wins when both are given.
   */
  opTimeoutMs?: number;
  /**
   * Fraction of each TTL (0 ≤ jitter < 1) taken off at random, so entries written together do not
   * all expire together. TTLs only get shorter, never longer than asked.
   * @default 0
   */
  jitter?: number;
  /**
   * Grace window in ms after an entry's TTL during which its old value may still be served:
   * right away while one background call refreshes it (`staleWhileRevalidate`), or when `fn`
   * fails (`staleIfError`). The store keeps entries for TTL + grace. 0 turns stale serving off.
   * @default 0
   */
  staleTtlMs?: number;
  /**
   * With a grace window: serve a stale value at once and refresh it with one background call.
   * When false, callers wait for `fn`, and the stale value only stands in if `fn` fails.
   * @default true
   */
  staleWhileRevalidate?: boolean;
  /**
   * With a grace window: when `fn` throws or returns an error result, serve the stale value
   * instead (FusionCache's fail-safe).
   * @default true
   */
  staleIfError?: boolean;
  /** Results whose stored form is larger than this many bytes are returned but not stored. @default 1_048_576 */
  maxValueBytes?: number;
  /** How values become store text and back. @default defaultCodec (JSON plus Date, BigInt, Map, Set, undefined…) */
  codec?: Codec;
  /**
   * Results for which this returns true are returned but never stored.
   * @default isErrorResult (an MCP tool result with `isError: true`)
   */
  isError?: (value: unknown) => boolean;
  /**
   * How long, in ms, this process trusts its copy of a generation counter before reading it
   * again. It bounds how late an invalidation made by another process is seen here. 0 reads the
   * counters on every call (one more store call each).
   * @default 1000
   */
  generationRefreshMs?: number;
  /** TTL of generation counters in ms; reads renew it when half is gone. @default 2_592_000_000 (30 days) */
  generationTtlMs?: number;
  /** Put the caller of tool-call keys in a Redis Cluster hash tag: one caller's keys share a slot. @default false */
  hashTag?: boolean;
  /** Bytes of SHA-256 kept in argument digests, an integer from 8 to 32. @default 16 */
  digestBytes?: number;
  /**
   * Largest canonical form of tool arguments, in characters (an integer from 1 to 50_000_000);
   * larger calls bypass the cache.
   * @default 1_000_000
   */
  maxArgsLength?: number;
  /**
   * Receives warnings (store failures, throttled) and, at debug level, hit/miss events. Needs
   * `debug`, `info`, `warn` and `error` methods (a pino logger, `console`).
   * @default silent
   */
  logger?: Logger;
  /** Time source for freshness and generation refreshes. @default systemClock */
  clock?: Clock;
  /** Called synchronously with every {@link CacheEvent}; keep it cheap. @default none */
  onEvent?: (event: CacheEvent) => void;
  /**
   * Every call must carry a caller to be cached: a tool call without `caller` (and any string
   * key) goes around the cache (bypass "no-scope") instead of sharing one caller's result with
   * another. Turn it on when most tools answer per caller; open public tools with
   * `tools: { search_docs: { requireCaller: false } }`. A tool's or a call's own setting wins.
   * @default false
   */
  requireCaller?: boolean;
  /**
   * @deprecated Renamed `requireCaller`; still honoured (with a one-time DeprecationWarning) until
   * the next major. `requireCaller` wins when both are given.
   */
  requireScope?: boolean;
  /**
   * Defaults per tool, by tool name (a string key's `tool` label counts too): TTL, grace window,
   * and whether a caller is required. A call's own options win over these, and these over
   * the cache's. `{ get_profile: { requireCaller: true, ttlMs: 30_000 } }`
   * @default {}
   */
  tools?: Readonly<Record<string, ToolPolicy>>;
  /**
   * An in-process first tier in front of a shared store (Redis): a hit there costs no round trip.
   * Kept coherent across processes through the store's `bus` (channel
   * `mcp-persist:<namespace>:cache`): a write, delete or invalidation in one process reaches the
   * copies the others hold as soon as its message arrives. While that channel is down, a copy is
   * served for at most `l1.ttlMs` (and while the store is down, too); each reconnect empties the
   * tier. `true` takes the defaults. Ignored (no second tier) on a store that is not shared, whose
   * entries are in process already.
   * @default off
   */
  l1?: boolean | L1Options;
  /**
   * Where concurrent misses of one key collapse into one `fn` call. `"process"`: one call per
   * process. `"fleet"` (a shared store only): one call across every process — the first takes a
   * short lease in the store, the others wait for its value, woken through the store's `bus`
   * with a bounded poll as backstop, and call `fn` themselves past `waitMs`. A lease whose holder
   * died frees its waiters within `leaseTtlMs`.
   * @default "process"
   */
  singleFlight?: "process" | "fleet" | FleetSingleFlight;
}

/** `createCache({ l1 })`: the in-process first tier. */
export interface L1Options {
  /**
   * Copies held, at most (an integer ≥ 1). Past it the oldest eighth goes, sparing once those read
   * since the last pass (least recently used, approximately).
   * @default 10_000
   */
  maxEntries?: number;
  /**
   * Longest a copy is served from this tier, in ms (never past the entry's own TTL): bounds
   * staleness while the coherence channel is down.
   * @default 5_000
   */
  ttlMs?: number;
}

/** `createCache({ singleFlight: { … } })`: the fleet-wide single-flight's timings. */
export interface FleetSingleFlight {
  mode: "fleet";
  /**
   * TTL of the lease, in ms, renewed while `fn` runs: a holder that died stops renewing, and its
   * waiters take over within this long.
   * @default 5_000
   */
  leaseTtlMs?: number;
  /** Longest a waiter waits for another process's `fn`, in ms, before calling `fn` itself. @default 10_000 */
  waitMs?: number;
  /** How often a waiter re-reads the store when no wake-up came, in ms. @default 100 */
  pollMs?: number;
}

/** Per-tool defaults in `createCache({ tools })`; each falls back to the cache's own option. */
export interface ToolPolicy {
  /** TTL in ms for this tool's entries. @default the cache's defaultTtlMs */
  ttlMs?: number;
  /** Grace window in ms for this tool's entries. @default the cache's staleTtlMs */
  staleTtlMs?: number;
  /** This tool's results depend on the caller: never cache a call without a `caller`. @default the cache's requireCaller */
  requireCaller?: boolean;
  /** @deprecated Renamed `requireCaller` (one-time DeprecationWarning); `requireCaller` wins. */
  requireScope?: boolean;
}

/** Options of one `cache.wrap()` call. */
export interface WrapOptions<T> {
  /** TTL in ms for this call's entry. @default the tool's `ttlMs`, else the cache's defaultTtlMs */
  ttlMs?: number;
  /** Grace window in ms for this call's entry. @default the tool's `staleTtlMs`, else the cache's */
  staleTtlMs?: number;
  /** Go around the cache: call `fn`, store nothing (counted as bypass "policy"). @default false */
  bypass?: boolean;
  /**
   * The result depends on the caller: without a `caller` on the tool call (or with a string key),
   * go around the cache (bypass "no-scope") rather than risk serving one caller's result to another.
   * Prefer setting it once per tool (`createCache({ tools })`) or per cache, so that no call site
   * can forget it; `false` here opens one call on a cache or tool that requires a caller.
   * @default the tool's `requireCaller`, else the cache's (false)
   */
  requireCaller?: boolean;
  /** @deprecated Renamed `requireCaller` (one-time DeprecationWarning); `requireCaller` wins. */
  requireScope?: boolean;
  /** Replaces the cache's `isError` predicate for this call. */
  isError?: (value: T) => boolean;
  /** Stats label (and `invalidateTool` target) for a string key; tool calls use their `tool`. */
  tool?: string;
  /**
   * Cancels this call's wait (pass the MCP request's `extra.signal` / `ctx.mcpReq.signal`): when it
   * aborts, `wrap` rejects with the signal's reason at once, whether it was reading the store or
   * waiting for a shared `fn` call. Only this caller leaves: a `fn` call other callers share goes
   * on, and its result is stored. An aborted signal rejects before anything runs. `fn` is not
   * handed the signal: give it the request's signal yourself if the upstream call should stop too.
   * @default none
   */
  signal?: AbortSignal;
}

/** The default `isError`: an MCP tool result `{ content, isError: true }`. */
export function isErrorResult(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { isError?: unknown }).isError === true;
}
