import type { Clock, Logger, Store, StoreOutagePolicy } from "@mcp-persist/cache-core";
import type { AlgorithmName } from "./algorithms";

/**
 * Why a check decided as it did:
 * - `ok`: the store allowed it;
 * - `limited`: the store denied it: a limit is used up;
 * - `fallback`: the store was down (failed, or did not answer in time), so the in-process
 *   `fallbackStore` decided;
 * - `degraded`: the store was down and there is no fallback store (or it failed too): allowed
 *   (`onStoreDown: "proceed"`) or denied (`onStoreDown: "refuse"`).
 */
export type RateLimitReason = "ok" | "limited" | "fallback" | "degraded";

/**
 * What `check()` returns. A type alias, not an interface, so a result can go where the MCP SDK
 * takes a record (e.g. a tool result's `structuredContent`): an interface has no index signature.
 */
export type RateLimitResult = {
  /** Whether the call may go ahead. */
  readonly allowed: boolean;
  /** Why; see {@link RateLimitReason}. */
  readonly reason: RateLimitReason;
  /**
   * Which rule this result describes: `default` for `createRateLimiter`; `perCallerPerTool`,
   * `perCaller` or `perTool` for `createToolRateLimiter`. When denied, the rule that denied for the
   * longest; when allowed, the one with the least room left.
   */
  readonly rule: string;
  /** That rule's limit: units per window. */
  readonly limit: number;
  /** That rule's window, ms. */
  readonly windowMs: number;
  /** Units left in that rule's window (after this call, if allowed). `0` when `degraded`. */
  readonly remaining: number;
  /**
   * When every limit checked is fully available again, in epoch ms of the limiter's `clock`
   * (the store's own clock is never exposed: it may disagree with yours). Whole ms, rounded up; on
   * an in-process store whose clock is the limiter's, counted from the time its script read.
   */
  readonly resetAtMs: number;
  /** `0` when allowed; else the wait, in whole ms rounded up, before the same call can succeed. */
  readonly retryAfterMs: number;
};

/** What every limiter offers besides its `check()`. */
export interface Refunds {
  /**
   * Takes back the charge of `result`, an allowed result this limiter's `check()` returned: the
   * same cost, on every rule it charged (on a Cluster, on every slot group), on the store that
   * decided it (the `fallbackStore` for `reason: "fallback"`). For a call that was allowed and
   * then did not happen (its lock was busy, its input was refused). Pass the very object
   * `check()` returned: a copy is not recognised.
   *
   * Resolves `true` once the store took the charge back, as far as it still counts (a charge that
   * has left its window has nothing left to give; a refund never frees more room than the charge
   * still takes). Resolves `false`, and does nothing, for a result it cannot refund: denied,
   * `degraded`, from another limiter, or refunded already (refunding twice gives back one charge).
   * Never rejects: a store that fails or does not answer within `storeTimeoutMs`, or is known to
   * be down, resolves `false` (warned as `ratelimit_refund_failed`), and the charge then counts
   * until it leaves its window.
   */
  refund(result: RateLimitResult): Promise<boolean>;
}

/** Options of one `check()`. */
export interface CheckOptions {
  /**
   * Units this call takes from every limit it is checked against: a positive integer. Only
   * `undefined` means the default; `null` is refused.
   * @default 1
   */
  cost?: number;
}

/** Options every limiter takes. */
export interface LimiterOptions {
  /**
   * Where the counts live: `lruStore()` for one process, `ioredisStore()` / `nodeRedisStore()`
   * to share limits across processes.
   */
  store: Store;
  /**
   * `sliding-log` (exact, memory grows with the limit), `sliding-window` (two counters, O(1),
   * approximate) or `gcra` (one timestamp, O(1), smooth). See the README for their bounds.
   * @default "sliding-log"
   */
  algorithm?: AlgorithmName;
  /**
   * How long a check waits for its store, ms. Past it, the check is decided without the store
   * (`fallback` or `degraded`), so a hung Redis adds at most this much to a tool call (per store
   * call: on a Cluster, a check split across slot groups makes one call per group). A store that
   * settles every call within this by itself (the Redis stores, `capabilities.deadlineMs`) gets no
   * second timer. Positive, at most 2^31 - 1 (Node's longest timer).
   * @default DEFAULT_STORE_TIMEOUT_MS (250, the Redis stores' own timeoutMs)
   */
  storeTimeoutMs?: number;
  /**
   * @deprecated Use `storeTimeoutMs` (same meaning; its default is now 250 ms, it was 100 ms).
   */
  timeoutMs?: number;
  /**
   * What a check does while its store is down (it failed, or did not answer within
   * `storeTimeoutMs`) and there is no `fallbackStore`, or that failed too:
   * - `"proceed"`: the capability steps aside and the tool call goes on: the check is allowed
   *   (`reason: "degraded"`);
   * - `"refuse"`: the capability refuses the call: the check is denied (`reason: "degraded"`),
   *   for tools whose upstream must never see more than the limit.
   * @default "proceed"
   */
  onStoreDown?: StoreOutagePolicy;
  /**
   * @deprecated Use `onStoreDown: "refuse"` (`failClosed: true`) or `"proceed"` (`false`).
   */
  failClosed?: boolean;
  /**
   * An in-process store, e.g. `lruStore({ max: 10_000 })`, asked first while the main store is
   * down: it enforces the same limits in this process alone (`reason: "fallback"`). With N
   * processes, up to N times the limit can pass during an outage. `onStoreDown` applies only when
   * it fails too.
   * @default undefined (no fallback: `onStoreDown` decides)
   */
  fallbackStore?: Store;
  /** @deprecated Use `fallbackStore` (same meaning). */
  fallback?: Store;
  /**
   * While the store is away, the limiter stops asking it and tries again once per interval, ms:
   * an outage costs callers no waiting, and recovery is noticed within this time.
   * @default 1000
   */
  probeIntervalMs?: number;
  /** First segment of every key, to keep the limiter's keys apart on a shared Redis. @default "ratelimit" */
  prefix?: string;
  /**
   * Local time, used only for `resetAtMs` and the probe interval. Decisions read the store's
   * clock (Redis `TIME`, or the in-process store's clock), never this one. When it is the
   * in-process store's clock itself (`store.clock`), a check takes its script's reading rather
   * than read it again. Its `now()` is called once at construction to check that it returns a
   * finite number.
   * @default systemClock (monotonic)
   */
  clock?: Clock;
  /**
   * Where outages, recoveries and Cluster mode are logged (a pino logger fits), with the fields
   * `event`, `store` and, for a failure, `err`. Without one, they are dropped.
   * @default undefined
   */
  logger?: Logger;
}
