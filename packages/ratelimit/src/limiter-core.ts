import { type Logger, type Store, silentLogger } from "@mcp-persist/cache-core";
import { ThrottledWarnings } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";
import type { LimitSet } from "./limit-set";
import type { ResolvedLimiterOptions } from "./resolve-options";
import { ChargeStamp, degradedResult, storeResult } from "./result";
import type { CheckReply } from "./script-args";
import { type Decision, ScriptRunner, type SlotCharge } from "./script-runner";
import { HealthByKeys, type StoreHealth } from "./store-health";
import type { RateLimitReason, RateLimitResult } from "./types";

/**
 * What taking back an allowed result's charge needs: which limiter decided it, where it was
 * charged, on which keys, how much. `charged` is left out for the common charge, every rule in
 * one script at the store's time `at`, and built only when a refund asks for it.
 */
interface Charge {
  readonly owner: LimiterCore;
  readonly runner: ScriptRunner;
  readonly keys: readonly string[];
  readonly cost: number;
  readonly at: number;
  readonly charged: readonly SlotCharge[] | undefined;
}

/**
 * Where a check can be decided: the store, or the fallback store. `onOurClock`: its scripts read
 * the limiter's own clock (`store.clock` is `options.clock`), so a synchronous check's result takes
 * the time the script replied instead of reading the clock a second time.
 */
interface Decider {
  readonly store: Store;
  readonly runner: ScriptRunner;
  readonly onOurClock: boolean;
  /** In process (`runSync`, never a Cluster): decided at once, see `#decideNow`. */
  readonly sync: boolean;
  /** Results it decides say `fallback`, not `ok` or `limited`. */
  readonly isFallback: boolean;
}

/**
 * A check on its way through the policy when it leaves the common path (a store that is up and in
 * process). A class, not a literal: it waits on the store (cache-core README, "Per-call objects").
 */
class CheckCall {
  constructor(
    readonly keys: readonly string[],
    readonly cost: number,
    readonly tool: string | undefined,
    readonly health: StoreHealth,
  ) {}
}

/** A check's result, at once from an in-process store, else once the store answers. */
type Checked = RateLimitResult | Promise<RateLimitResult>;

/**
 * The decision policy shared by every limiter: ask the store (each call bounded by
 * `storeTimeoutMs`, see `storeCaller`); while it is down, ask the fallback store, else follow
 * `onStoreDown`. Never throws for a store failure: a Redis outage must not turn a tool call into
 * an error.
 *
 * An in-process store (one with `runSync`) is asked synchronously: a call that cannot hang needs
 * no deadline, and a check then costs no promise until the limiter's own `check()` wraps the
 * result in one already resolved.
 */
export class LimiterCore {
  readonly #options: ResolvedLimiterOptions;
  readonly #set: LimitSet;
  readonly #primary: Decider;
  readonly #fallback: Decider | undefined;
  readonly #health: HealthByKeys;
  readonly #logger: Logger;
  /** A failing fallback store fails every check: said once per interval, not per check. */
  readonly #warnings: ThrottledWarnings;

  constructor(options: ResolvedLimiterOptions, set: LimitSet) {
    const { store, fallbackStore, clock } = options;
    this.#options = options;
    this.#set = set;
    this.#logger = options.logger ?? silentLogger;
    this.#warnings = new ThrottledWarnings(this.#logger, clock);
    this.#primary = this.#decider(store, false);
    this.#fallback = fallbackStore === undefined ? undefined : this.#decider(fallbackStore, true);
    this.#health = new HealthByKeys(store.capabilities.cluster, clock, options.probeIntervalMs);
  }

  #decider(store: Store, isFallback: boolean): Decider {
    const options = this.#options;
    const runner = new ScriptRunner(store, options, this.#set, this.#logger, this.#warnings);
    return {
      store,
      runner,
      onOurClock: store.clock === options.clock,
      sync: runner.inProcess,
      isFallback,
    };
  }

  /**
   * Checks `keys`, one per rule of the limiter's set, in order. `tool`, when given, is added to
   * the result (the tool limiter's results name it). Every allowed result carries its charge,
   * for `refund()` (see {@link ChargeStamp}).
   */
  check(keys: readonly string[], cost: number, tool: string | undefined): Checked {
    const health = this.#health.of(keys);
    if (!health.shouldAsk()) return this.#withoutPrimary(new CheckCall(keys, cost, tool, health));
    const primary = this.#primary;
    if (!primary.sync) return this.#askPrimary(new CheckCall(keys, cost, tool, health));
    try {
      const result = this.#decideNow(primary, keys, cost, tool);
      // Only a store that was down has a recovery to note (most checks skip the call).
      if (health.isDown) this.#primaryAnswered(health);
      return result;
    } catch (error) {
      this.#primaryFailed(health, error);
    }
    return this.#withoutPrimary(new CheckCall(keys, cost, tool, health));
  }

  // The network paths are `then` chains rather than async functions: one promise per check on
  // top of the runner's, where two awaited async functions cost three (each check on Redis).
  #askPrimary(call: CheckCall): Promise<RateLimitResult> {
    const primary = this.#primary;
    return primary.runner.run(call.keys, call.cost).then(
      (decision) => {
        this.#primaryAnswered(call.health);
        return this.#decidedLater(primary, call, decision);
      },
      (error: unknown) => {
        this.#primaryFailed(call.health, error);
        return this.#withoutPrimary(call);
      },
    );
  }

  /** The fallback store decides, else `onStoreDown`. */
  #withoutPrimary(call: CheckCall): Checked {
    const fallback = this.#fallback;
    if (fallback === undefined) return this.#degraded(call);
    if (!fallback.sync) return this.#askFallback(fallback, call);
    try {
      return this.#decideNow(fallback, call.keys, call.cost, call.tool);
    } catch (error) {
      this.#fallbackFailed(error);
    }
    return this.#degraded(call);
  }

  #askFallback(fallback: Decider, call: CheckCall): Promise<RateLimitResult> {
    return fallback.runner.run(call.keys, call.cost).then(
      (decision) => this.#decidedLater(fallback, call, decision),
      (error: unknown) => {
        this.#fallbackFailed(error);
        return this.#degraded(call);
      },
    );
  }

  /**
   * The check, decided by an in-process store (one with `runSync`) at once: a call that cannot
   * hang needs no deadline, no batching and no promise. Throws what the store throws.
   */
  #decideNow(
    decider: Decider,
    keys: readonly string[],
    cost: number,
    tool: string | undefined,
  ): RateLimitResult {
    const reply = decider.store.runSync?.(
      this.#options.algorithm.check,
      keys,
      this.#set.argsOf(cost),
    ) as CheckReply;
    // On the limiter's own clock, the script's time (whole ms) is the check's: no second reading.
    const now = decider.onOurClock ? (reply[1] as number) : this.#options.clock.now();
    return this.#decided(decider, keys, cost, reply, undefined, tool, now);
  }

  /** What a store over the network decided (through its runner: batched, bounded by `storeTimeoutMs`), as a result. */
  #decidedLater(decider: Decider, call: CheckCall, { reply, charged }: Decision): RateLimitResult {
    return this.#decided(decider, call.keys, call.cost, reply, charged, call.tool, this.#options.clock.now());
  }

  #primaryAnswered(health: StoreHealth): void {
    const downMs = health.answered();
    // Per slot (a Cluster), recoveries would be logged by the thousand: the outage warning says it.
    if (downMs !== undefined && this.#health.single) this.#logRecovery(this.#options.store, downMs);
  }

  #primaryFailed(health: StoreHealth, error: unknown): void {
    // Logged once per outage (when it starts), not per check: the health gate makes it rare. On a
    // Cluster, where each slot has its own, throttled instead.
    if (health.failed()) this.#logOutage(this.#options.store, error);
  }

  #fallbackFailed(error: unknown): void {
    this.#warnings.warn(
      "ratelimit_fallback_failed",
      { store: this.#options.fallbackStore?.name, err: error },
      `[${PKG}] the fallback store failed too; deciding by onStoreDown (${this.#options.onStoreDown})`,
    );
  }

  #degraded({ tool, health }: CheckCall): RateLimitResult {
    const allowed = this.#options.onStoreDown === "proceed";
    const retryAfterMs = Math.max(1, health.msUntilProbe());
    return degradedResult(this.#set, allowed, retryAfterMs, this.#options.clock.now(), tool);
  }

  /**
   * Takes back the charge of `result`, an allowed result this limiter returned and has not taken
   * back yet, on the store that decided it; else resolves `false` at once. Never rejects.
   */
  refund(result: unknown): Promise<boolean> {
    const charge = ChargeStamp.read<Charge>(result);
    if (charge === undefined || charge.owner !== this) return Promise.resolve(false);
    // Forgotten before anything else: a second refund of the result, even a concurrent one,
    // finds nothing, so a unit is never given back twice (even when this one fails: a refund that
    // timed out may still run on the server, and a retry could then take back a second unit).
    ChargeStamp.clear(result as object);
    if (charge.runner === this.#primary.runner && this.#health.of(charge.keys).isDown) {
      // A store known to be away is not waited for, as checks do not wait for it.
      this.#warnings.warn(
        "ratelimit_refund_failed",
        { store: this.#options.store.name },
        `[${PKG}] could not take back a charge on refund(): the store is down; it counts until it leaves its window`,
      );
      return Promise.resolve(false);
    }
    const charged = charge.charged ?? [{ group: this.#set.everyRule, at: charge.at }];
    return charge.runner.refund(charge.keys, charge.cost, charged, "on refund()");
  }

  /**
   * The result of a decision by `decider` at `now` (the limiter's clock), stamped with its charge
   * when it charged something. `charged` undefined: the check went in one script, and charged
   * every rule if it was allowed.
   */
  #decided(
    decider: Decider,
    keys: readonly string[],
    cost: number,
    reply: CheckReply,
    charged: readonly SlotCharge[] | undefined,
    tool: string | undefined,
    now: number,
  ): RateLimitResult {
    const allowed = reply[0] === 1;
    const reason: RateLimitReason = decider.isFallback ? "fallback" : allowed ? "ok" : "limited";
    const charge: Charge | undefined = (charged === undefined ? allowed : charged.length > 0)
      ? { owner: this, runner: decider.runner, keys, cost, at: reply[1] as number, charged }
      : undefined;
    return storeResult(this.#set, reply, reason, now, tool, charge);
  }

  #logOutage(store: Store, error: unknown): void {
    const { fallbackStore, onStoreDown } = this.#options;
    const instead = fallbackStore === undefined ? "" : "the fallback store, else ";
    const fields = { store: store.name, err: error };
    const message = `[${PKG}] the store failed or did not answer within storeTimeoutMs; checks are decided by ${instead}onStoreDown ("${onStoreDown}") until it answers again`;
    if (this.#health.single) this.#logger.warn({ event: "ratelimit_store_unavailable", ...fields }, message);
    else this.#warnings.warn("ratelimit_store_unavailable", fields, `${message} (per hash slot: a Cluster)`);
  }

  #logRecovery(store: Store, downMs: number): void {
    this.#logger.info(
      { event: "ratelimit_store_recovered", store: store.name, downMs },
      `[${PKG}] the store answers again`,
    );
  }
}
