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

/** What a check charged on one slot group: the rules at `group`, at the store's time `at` (ms). */
export interface SlotCharge {
  readonly group: readonly number[];
  readonly at: number;
}

/** A check's reply, and what it charged: one entry per slot group, none when it was denied. */
export interface Decision {
  readonly reply: CheckReply;
  readonly charged: readonly SlotCharge[];
}

interface Pending {
  keys: readonly string[];
  cost: number;
  resolve(decision: Decision): void;
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
 * charged. A refund asked for later (`refund()`) takes the same path: one script per group charged.
 */
export class ScriptRunner {
  readonly #store: Store;
  /** Every store call goes through it: bounded by `storeTimeoutMs`, the store's own deadline honoured once. */
  readonly #caller: StoreCaller;
  /** The same deadline for refunds; its own instance only so that a timeout's message says what it cost. */
  readonly #refundCaller: StoreCaller;
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
    this.#refundCaller = storeCaller(store, {
      pkg: PKG,
      timeoutMs: options.storeTimeoutMs,
      consequence: "the charge was not taken back: it counts until it leaves its window",
    });
    this.#options = options;
    this.#set = set;
    this.#logger = logger;
    this.#warnings = warnings;
    this.#batching = store.capabilities.shared;
    if (store.capabilities.cluster === true) this.#enterClusterMode();
  }

  /**
   * Whether refunds run synchronously, through the store's `runSync`, as checks on it do (see
   * `LimiterCore`): an in-process store, which can neither hang nor save a round trip.
   */
  get sync(): boolean {
    return this.#store.runSync !== undefined && !this.#cluster;
  }

  /** Checks `keys` (one per rule, in order): the check script's reply for it, and what it charged. */
  run(keys: readonly string[], cost: number): Promise<Decision> {
    if (this.#cluster) return this.#runBySlot(keys, cost);
    if (!this.#batching) return this.#send([keys], [cost]).then((reply) => this.#whole(reply));
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
        (reply) =>
          batch.forEach((check, i) => check.resolve(this.#whole(reply.slice(i * size, (i + 1) * size)))),
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

  /** A check that went to the store in one script: if allowed, it charged every rule at its `now`. */
  #whole(reply: CheckReply): Decision {
    const charged = reply[0] === 1 ? [{ group: this.#set.everyRule, at: reply[1] as number }] : [];
    return { reply, charged };
  }

  /** One script call for several checks. */
  #send(keys: readonly (readonly string[])[], costs: readonly number[]): Promise<CheckReply> {
    return this.#caller.run(this.#options.algorithm.check, keys.flat(), this.#set.args(costs));
  }

  async #runBySlot(keys: readonly string[], cost: number): Promise<Decision> {
    const set = this.#set;
    if (set.slotGroups.length === 1) return this.#whole(await this.#send([keys], [cost]));
    const combined = [1, 0, ...set.rules.flatMap(() => [0, 0, 0])];
    const charged: SlotCharge[] = [];
    for (const group of set.slotGroups) {
      const groupKeys = group.map((i) => keys[i] as string);
      const reply = await this.#caller.run(this.#options.algorithm.check, groupKeys, set.args([cost], group));
      group.forEach((rule, j) => combined.splice(2 + 3 * rule, 3, ...reply.slice(2 + 3 * j, 5 + 3 * j)));
      combined[1] = reply[1] as number;
      if (reply[0] !== 1) {
        combined[0] = 0;
        // In the background: the denial stands whether or not the refund lands.
        void this.refund(keys, cost, charged, "after another slot group denied the call");
        return { reply: combined, charged: [] };
      }
      charged.push({ group, at: reply[1] as number });
    }
    return { reply: combined, charged };
  }

  /**
   * Takes back what a check of `keys` costing `cost` charged: one refund script per slot group,
   * all at once. Resolves whether every one was answered; never rejects (a failure is warned,
   * throttled): a refund is best effort, and a charge not taken back counts until it leaves its
   * window, which errs on the side of the limit. `when` ends the warning's sentence.
   */
  refund(
    keys: readonly string[],
    cost: number,
    charged: readonly SlotCharge[],
    when: string,
  ): Promise<boolean> {
    const { refund } = this.#options.algorithm;
    const failed = (error: unknown): false => {
      this.#warnings.warn(
        "ratelimit_refund_failed",
        { store: this.#store.name, err: error },
        `[${PKG}] could not take back a charge ${when}; it counts until it leaves its window`,
      );
      return false;
    };
    const groupKeys = (group: readonly number[]) => group.map((i) => keys[i] as string);
    if (this.sync) {
      // In process, at once, like the check it takes back.
      let answered = true;
      for (const { group, at } of charged) {
        try {
          this.#store.runSync?.(refund, groupKeys(group), refundArgs(cost, at, this.#set.pick(group)));
        } catch (error) {
          answered = failed(error);
        }
      }
      return Promise.resolve(answered);
    }
    const groups = charged.map(({ group, at }) =>
      this.#refundCaller
        .run(refund, groupKeys(group), refundArgs(cost, at, this.#set.pick(group)))
        .then(() => true, failed),
    );
    return Promise.all(groups).then((answered) => answered.every(Boolean));
  }
}
