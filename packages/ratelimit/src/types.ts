import type { Clock, Logger, Store } from "@mcp-persist/cache-core";
import type { AlgorithmName } from "./algorithms";

/**
 * Why a check decided as it did:
 * - `ok`: the store allowed it;
 * - `limited`: the store denied it: a limit is used up;
 * - `fallback`: the store did not answer in time, so the in-process `fallback` store decided;
 * - `degraded`: the store did not answer in time and there is no fallback: allowed, or denied
 *   with `failClosed`.
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
   * (the store's own clock is never exposed: it may disagree with yours). Whole ms, rounded up.
   */
  readonly resetAtMs: number;
  /** `0` when allowed; else the wait, in whole ms rounded up, before the same call can succeed. */
  readonly retryAfterMs: number;
};

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
   * to share limits across processes. The store must run scripts (`capabilities.scripts`).
   */
  store: Store;
  /**
   * `sliding-log` (exact, memory grows with the limit), `sliding-window` (two counters, O(1),
   * approximate) or `gcra` (one timestamp, O(1), smooth). See the README for their bounds.
   * @default "sliding-log"
   */
  algorithm?: AlgorithmName;
  /**
   * Deadline for the store's answer, ms. Past it, the check is decided without the store
   * (`fallback` or `degraded`), so a hung Redis adds at most this much to a tool call. At most
   * 2^31 - 1 (Node's longest timer).
   * @default 100
   */
  timeoutMs?: number;
  /**
   * Deny calls (`reason: "degraded"`) instead of allowing them while the store is away and no
   * `fallback` is given. For tools whose upstream must never see more than the limit. A boolean:
   * `"false"` is refused, not read as true.
   * @default false
   */
  failClosed?: boolean;
  /**
   * An in-process store, e.g. `lruStore({ max: 10_000 })`, that enforces the same limits in this
   * process alone while the main store is away (`reason: "fallback"`). With N processes, up to N
   * times the limit can pass during an outage.
   * @default undefined (no fallback: `failClosed` decides)
   */
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
   * clock (Redis `TIME`, or the in-process store's clock), never this one. Its `now()` is called
   * once at construction to check that it returns a finite number.
   * @default systemClock (monotonic)
   */
  clock?: Clock;
  /**
   * Where outages, recoveries and configuration warnings go (a pino logger fits). Without one,
   * configuration warnings go to `process.emitWarning` and the rest is dropped.
   * @default undefined
   */
  logger?: Logger;
}
