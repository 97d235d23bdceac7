import { type Logger, type Store, StoreTimeoutError, withDeadline } from "@mcp-persist/cache-core";
import { warnAboutClient } from "./client-warnings";
import type { LimitSet } from "./limit-set";
import type { ResolvedLimiterOptions } from "./resolve-options";
import { degradedResult, storeResult } from "./result";
import { ScriptRunner } from "./script-runner";
import { StoreHealth } from "./store-health";
import type { RateLimitResult } from "./types";

const checkTimeout = (ms: number) =>
  new StoreTimeoutError("@mcp-persist/ratelimit", "run", ms, "the check was decided by the outage policy");

/**
 * The decision policy shared by every limiter: ask the store within the deadline; while it is
 * away, ask the fallback store, else allow (or deny with `failClosed`). Never throws for a store
 * failure: a Redis outage must not turn a tool call into an error.
 */
export class LimiterCore {
  readonly #options: ResolvedLimiterOptions;
  readonly #set: LimitSet;
  readonly #primary: ScriptRunner;
  readonly #fallback: ScriptRunner | undefined;
  readonly #health: StoreHealth;

  constructor(options: ResolvedLimiterOptions, set: LimitSet) {
    const { store, fallback, algorithm, logger } = options;
    this.#options = options;
    this.#set = set;
    this.#primary = new ScriptRunner(store, algorithm, set, logger);
    this.#fallback = fallback === undefined ? undefined : new ScriptRunner(fallback, algorithm, set, logger);
    this.#health = new StoreHealth(options.clock, options.probeIntervalMs);
    warnAboutClient(store, options.timeoutMs, logger);
  }

  /** Checks `keys`, one per rule of the limiter's set, in order. */
  async check(keys: readonly string[], cost: number): Promise<RateLimitResult> {
    const { clock, timeoutMs, store, logger } = this.#options;
    const set = this.#set;
    if (this.#health.shouldAsk()) {
      try {
        const reply = await withDeadline(this.#primary.run(keys, cost), timeoutMs, () =>
          checkTimeout(timeoutMs),
        );
        const downMs = this.#health.answered();
        if (downMs !== undefined) logRecovery(logger, store, downMs);
        return storeResult(set, reply, reply[0] === 1 ? "ok" : "limited", clock.now());
      } catch (error) {
        if (this.#health.failed()) logOutage(logger, store, error);
      }
    }
    if (this.#fallback !== undefined) {
      try {
        const reply = await withDeadline(this.#fallback.run(keys, cost), timeoutMs, () =>
          checkTimeout(timeoutMs),
        );
        return storeResult(set, reply, "fallback", clock.now());
      } catch (error) {
        logger?.error(
          { event: "ratelimit_fallback_failed", store: this.#options.fallback?.name, error: String(error) },
          "[@mcp-persist/ratelimit] the fallback store failed too; deciding without any store",
        );
      }
    }
    const { failClosed } = this.#options;
    return degradedResult(set, !failClosed, Math.max(1, this.#health.msUntilProbe()), clock.now());
  }
}

function logOutage(logger: Logger | undefined, store: Store, error: unknown): void {
  logger?.warn(
    { event: "ratelimit_store_unavailable", store: store.name, error: String(error) },
    "[@mcp-persist/ratelimit] the store failed or did not answer in time; deciding without it until it does",
  );
}

function logRecovery(logger: Logger | undefined, store: Store, downMs: number): void {
  logger?.info(
    { event: "ratelimit_store_recovered", store: store.name, downMs },
    "[@mcp-persist/ratelimit] the store answers again",
  );
}
