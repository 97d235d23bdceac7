import { type Logger, type Store, silentLogger } from "@mcp-persist/cache-core";
import { ThrottledWarnings } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";
import type { LimitSet } from "./limit-set";
import type { ResolvedLimiterOptions } from "./resolve-options";
import { degradedResult, storeResult } from "./result";
import { type Decision, ScriptRunner, type SlotCharge } from "./script-runner";
import { StoreHealth } from "./store-health";
import type { RateLimitReason, RateLimitResult } from "./types";

/** What taking back an allowed result's charge needs: where it was charged, on which keys, how much. */
interface Charge {
  readonly runner: ScriptRunner;
  readonly keys: readonly string[];
  readonly cost: number;
  readonly charged: readonly SlotCharge[];
}

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
  /**
   * The charge behind each allowed result this limiter returned, until it is refunded. A WeakMap
   * keyed by the result object rather than a hidden field on it: results stay plain data (they are
   * spread, cloned, serialised into `structuredContent`, compared in tests) with nothing to leak or
   * to copy along, a forged or copied object finds nothing, another limiter's results are not in
   * this map, and an entry goes when its result is collected.
   */
  readonly #charges = new WeakMap<object, Charge>();

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

  /**
   * Checks `keys`, one per rule of the limiter's set, in order. `extra` fields are added to the
   * result (the tool limiter's `tool`) before it is remembered: refunds know the object returned.
   */
  async check<Extra extends object>(
    keys: readonly string[],
    cost: number,
    extra: Extra,
  ): Promise<RateLimitResult & Extra> {
    const { clock, store } = this.#options;
    if (this.#health.shouldAsk()) {
      try {
        const decision = await this.#primary.run(keys, cost);
        const downMs = this.#health.answered();
        if (downMs !== undefined) this.#logRecovery(store, downMs);
        const reason = decision.reply[0] === 1 ? "ok" : "limited";
        return this.#decided(this.#primary, keys, cost, decision, reason, extra);
      } catch (error) {
        // Logged once per outage (when it starts), not per check: the health gate makes it rare.
        if (this.#health.failed()) this.#logOutage(store, error);
      }
    }
    if (this.#fallback !== undefined) {
      try {
        const decision = await this.#fallback.run(keys, cost);
        return this.#decided(this.#fallback, keys, cost, decision, "fallback", extra);
      } catch (error) {
        this.#warnings.warn(
          "ratelimit_fallback_failed",
          { store: this.#options.fallbackStore?.name, err: error },
          `[${PKG}] the fallback store failed too; deciding by onStoreDown (${this.#options.onStoreDown})`,
        );
      }
    }
    const allowed = this.#options.onStoreDown === "proceed";
    const retryAfterMs = Math.max(1, this.#health.msUntilProbe());
    return Object.assign(degradedResult(this.#set, allowed, retryAfterMs, clock.now()), extra);
  }

  /**
   * Takes back the charge of `result`, an allowed result this limiter returned and has not taken
   * back yet, on the store that decided it; else resolves `false` at once. Never rejects.
   */
  async refund(result: unknown): Promise<boolean> {
    // WeakMap.get of a non-object is undefined, not an error.
    const charge = this.#charges.get(result as object);
    if (charge === undefined) return false;
    // Forgotten before the first await: a second refund of the result, even a concurrent one,
    // finds nothing, so a unit is never given back twice (even when this one fails: a refund that
    // timed out may still run on the server, and a retry could then take back a second unit).
    this.#charges.delete(result as object);
    if (charge.runner === this.#primary && this.#health.isDown) {
      // A store known to be away is not waited for, as checks do not wait for it.
      this.#warnings.warn(
        "ratelimit_refund_failed",
        { store: this.#options.store.name },
        `[${PKG}] could not take back a charge on refund(): the store is down; it counts until it leaves its window`,
      );
      return false;
    }
    return charge.runner.refund(charge.keys, charge.cost, charge.charged, "on refund()");
  }

  /** The result of a decision by `runner`, remembered when it charged something. */
  #decided<Extra extends object>(
    runner: ScriptRunner,
    keys: readonly string[],
    cost: number,
    { reply, charged }: Decision,
    reason: RateLimitReason,
    extra: Extra,
  ): RateLimitResult & Extra {
    const result = Object.assign(storeResult(this.#set, reply, reason, this.#options.clock.now()), extra);
    if (charged.length > 0) this.#charges.set(result, { runner, keys, cost, charged });
    return result;
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
