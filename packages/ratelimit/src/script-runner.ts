import type { Logger, Store } from "@mcp-persist/cache-core";
import { type StoreCaller, storeCaller, type ThrottledWarnings } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";
import type { LimitSet } from "./limit-set";
import type { ResolvedLimiterOptions } from "./resolve-options";
import { type CheckReply, refundArgs } from "./script-args";

/** Most checks sent in one script call: keeps each call short on the Redis server. */
const MAX_BATCH = 100;

/** What a store raises for keys of several slots in one call on a Redis Cluster. */
const CROSS_SLOT = "ERR_CROSS_SLOT";

interface Pending {
  keys: readonly string[];
  cost: number;
  resolve(reply: CheckReply): void;
  reject(error: unknown): void;
}

/**
 * Runs one limiter's checks on one store. A check's limits go to one script, so they are charged
 * together or not at all. Checks made in the same tick go to the store together, in one script
 * call (one round trip for all; each still all-or-nothing, as if sent one after another).
 *
 * A Redis Cluster refuses keys from different slots in one call. On a store that says it is one
 * (`capabilities.cluster`), or from the first cross-slot refusal on (`ERR_CROSS_SLOT`), the runner
 * sends each check alone and, when its own limits sit in different slots, one script per slot
 * group, in order; when a later group denies, it takes back (refunds) what the earlier groups
 * charged.
 */
export class ScriptRunner {
  readonly #store: Store;
  /** Every store call goes through it: bounded by `storeTimeoutMs`, the store's own deadline honoured once. */
  readonly #caller: StoreCaller;
  readonly #options: ResolvedLimiterOptions;
  readonly #set: LimitSet;
  readonly #logger: Logger;
  readonly #warnings: ThrottledWarnings;
  /** In process there is no round trip to save: each check runs at once. */
  readonly #batching: boolean;
  #cluster = false;
  #queue: Pending[] = [];

  constructor(
    store: Store,
    options: ResolvedLimiterOptions,
    set: LimitSet,
    logger: Logger,
    warnings: ThrottledWarnings,
  ) {
    this.#store = store;
    this.#caller = storeCaller(store, {
      pkg: PKG,
      timeoutMs: options.storeTimeoutMs,
      consequence: "the check was decided without it (fallbackStore, else onStoreDown)",
    });
    this.#options = options;
    this.#set = set;
    this.#logger = logger;
    this.#warnings = warnings;
    this.#batching = store.capabilities.shared;
    if (store.capabilities.cluster === true) this.#enterClusterMode();
  }

  /** Checks `keys` (one per rule, in order); replies as the check script does for one check. */
  run(keys: readonly string[], cost: number): Promise<CheckReply> {
    if (this.#cluster) return this.#runBySlot(keys, cost);
    if (!this.#batching) return this.#send([keys], [cost]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ keys, cost, resolve, reject });
      if (this.#queue.length === 1) queueMicrotask(() => this.#flush());
    });
  }

  #flush(): void {
    const queue = this.#queue;
    this.#queue = [];
    for (let start = 0; start < queue.length; start += MAX_BATCH) {
      const batch = queue.slice(start, start + MAX_BATCH);
      const size = 2 + 3 * this.#set.rules.length;
      this.#send(
        batch.map((check) => check.keys),
        batch.map((check) => check.cost),
      ).then(
        (reply) => batch.forEach((check, i) => check.resolve(reply.slice(i * size, (i + 1) * size))),
        (error: unknown) => this.#failed(batch, error),
      );
    }
  }

  #failed(batch: readonly Pending[], error: unknown): void {
    if ((error as { code?: unknown } | null)?.code !== CROSS_SLOT) {
      for (const check of batch) check.reject(error);
      return;
    }
    this.#enterClusterMode();
    for (const check of batch) this.#runBySlot(check.keys, check.cost).then(check.resolve, check.reject);
  }

  #enterClusterMode(): void {
    if (this.#cluster) return;
    this.#cluster = true;
    this.#logger.info(
      { event: "ratelimit_cluster_mode", store: this.#store.name },
      `[${PKG}] the store is a Redis Cluster: checks go one at a time, one script per slot group`,
    );
  }

  /** One script call for several checks. */
  #send(keys: readonly (readonly string[])[], costs: readonly number[]): Promise<CheckReply> {
    return this.#caller.run(this.#options.algorithm.check, keys.flat(), this.#set.args(costs));
  }

  async #runBySlot(keys: readonly string[], cost: number): Promise<CheckReply> {
    const set = this.#set;
    if (set.slotGroups.length === 1) return this.#send([keys], [cost]);
    const combined = [1, 0, ...set.rules.flatMap(() => [0, 0, 0])];
    const charged: { group: readonly number[]; at: number }[] = [];
    for (const group of set.slotGroups) {
      const groupKeys = group.map((i) => keys[i] as string);
      const reply = await this.#caller.run(this.#options.algorithm.check, groupKeys, set.args([cost], group));
      group.forEach((rule, j) => combined.splice(2 + 3 * rule, 3, ...reply.slice(2 + 3 * j, 5 + 3 * j)));
      combined[1] = reply[1] as number;
      if (reply[0] !== 1) {
        combined[0] = 0;
        for (const done of charged) this.#refund(keys, done.group, done.at, cost);
        break;
      }
      charged.push({ group, at: reply[1] as number });
    }
    return combined;
  }

  /** Best effort, in the background: the denial stands whether or not the refund lands. */
  #refund(keys: readonly string[], group: readonly number[], at: number, cost: number): void {
    const groupKeys = group.map((i) => keys[i] as string);
    const args = refundArgs(cost, at, this.#set.pick(group));
    this.#caller.run(this.#options.algorithm.refund, groupKeys, args).catch((error: unknown) => {
      this.#warnings.warn(
        "ratelimit_refund_failed",
        { store: this.#store.name, err: error },
        `[${PKG}] could not take back a charge after another slot group denied the call`,
      );
    });
  }
}
