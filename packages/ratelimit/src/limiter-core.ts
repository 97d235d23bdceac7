import { type Logger, type Store, silentLogger } from "@mcp-persist/cache-core";
import { ThrottledWarnings } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";
import type { LimitSet } from "./limit-set";
import type { ResolvedLimiterOptions } from "./resolve-options";
import { degradedResult, storeResult } from "./result";
import { ScriptRunner } from "./script-runner";
import { StoreHealth } from "./store-health";
import type { RateLimitResult } from "./types";

/**
 * The decision policy shared by every limiter: ask the store (each call bounded by
 * `storeTimeoutMs`, see `storeCaller`); while it is down, ask the fallback store, else follow
 * `onStoreDown`. Never throws for a store failure: a Redis outage must not turn a tool call into
 * an error.
 */
export class LimiterCore {
  readonly #options: ResolvedLimiterOptions;
  readonly #set: LimitSet;
  readonly #primary: ScriptRunner;
  readonly #fallback: ScriptRunner | undefined;
  readonly #health: StoreHealth;
  readonly #logger: Logger;
  /** A failing fallback store fails every check: said once per interval, not per check. */
  readonly #warnings: ThrottledWarnings;

  constructor(options: ResolvedLimiterOptions, set: LimitSet) {
    const { store, fallbackStore, clock } = options;
    this.#options = options;
    this.#set = set;
    this.#logger = options.logger ?? silentLogger;
    this.#warnings = new ThrottledWarnings(this.#logger, clock);
    this.#primary = new ScriptRunner(store, options, set, this.#logger, this.#warnings);
    this.#fallback =
      fallbackStore === undefined
        ? undefined
        : new ScriptRunner(fallbackStore, options, set, this.#logger, this.#warnings);
    this.#health = new StoreHealth(clock, options.probeIntervalMs);
  }

  /** Checks `keys`, one per rule of the limiter's set, in order. */
  async check(keys: readonly string[], cost: number): Promise<RateLimitResult> {
    const { clock, store } = this.#options;
    const set = this.#set;
    if (this.#health.shouldAsk()) {
      try {
        const reply = await this.#primary.run(keys, cost);
        const downMs = this.#health.answered();
        if (downMs !== undefined) this.#logRecovery(store, downMs);
        return storeResult(set, reply, reply[0] === 1 ? "ok" : "limited", clock.now());
      } catch (error) {
        // Logged once per outage (when it starts), not per check: the health gate makes it rare.
        if (this.#health.failed()) this.#logOutage(store, error);
      }
    }
    if (this.#fallback !== undefined) {
      try {
        const reply = await this.#fallback.run(keys, cost);
        return storeResult(set, reply, "fallback", clock.now());
      } catch (error) {
        this.#warnings.warn(
          "ratelimit_fallback_failed",
          { store: this.#options.fallbackStore?.name, err: error },
          `[${PKG}] the fallback store failed too; deciding by onStoreDown (${this.#options.onStoreDown})`,
        );
      }
    }
    const allowed = this.#options.onStoreDown === "proceed";
    return degradedResult(set, allowed, Math.max(1, this.#health.msUntilProbe()), clock.now());
  }

  #logOutage(store: Store, error: unknown): void {
    const { fallbackStore, onStoreDown } = this.#options;
    const instead = fallbackStore === undefined ? "" : "the fallback store, else ";
    this.#logger.warn(
      { event: "ratelimit_store_unavailable", store: store.name, err: error },
      `[${PKG}] the store failed or did not answer within storeTimeoutMs; checks are decided by ${instead}onStoreDown ("${onStoreDown}") until it answers again`,
    );
  }

  #logRecovery(store: Store, downMs: number): void {
    this.#logger.info(
      { event: "ratelimit_store_recovered", store: store.name, downMs },
      `[${PKG}] the store answers again`,
    );
  }
}
