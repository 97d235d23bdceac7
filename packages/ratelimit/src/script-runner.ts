import type { Logger, Store } from "@mcp-persist/cache-core";
import { Batcher, type StoreCaller, storeCaller, type ThrottledWarnings } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";
import type { LimitSet } from "./limit-set";
import type { ResolvedLimiterOptions } from "./resolve-options";
import { type CheckReply, refundArgs } from "./script-args";

/** What a store raises for keys of several slots in one call on a Redis Cluster. */
const CROSS_SLOT = "ERR_CROSS_SLOT";

/** What a check charged on one slot group: the rules at `group`, at the store's time `at` (ms). */
export interface SlotCharge {
  readonly group: readonly number[];
  readonly at: number;
}

/**
 * A check's reply, and what it charged: one entry per slot group charged (none when denied), or
 * `undefined` for one script. A class, not a literal, as `Check`.
 */
export class Decision {
  constructor(
    readonly reply: CheckReply,
    /**
     * `undefined` when the check went in one script (the common case): if allowed, it charged every
     * rule at the store's time `reply[1]`, so no list is made for it.
     */
    readonly charged: readonly SlotCharge[] | undefined,
  ) {}
}

/** A check waiting for its tick's batch; a class, not a literal (cache-core README, "Per-call objects"). */
class Check {
  constructor(
    readonly keys: readonly string[],
    readonly cost: number,
  ) {}
}

/**
 * Runs one limiter's checks on one store. A check's limits go to one script, so they are charged
 * together or not at all. On Redis, checks made in the same tick go to the store together, in one
 * script call (one round trip for all; each still all-or-nothing, as if sent one after another),
 * and their decisions are handed out in parts (cache-core's `Batcher`).
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
  /**
   * On a store shared with other processes (Redis), batches a tick's checks into one call; a store
   * that is not shared saves no round trip by it and has none.
   */
  readonly #batcher: Batcher<Check, Decision> | undefined;
  /**
   * An in-process store (`runSync`, never a Cluster): it can neither hang nor save a round trip,
   * so checks on it are decided at once (see `LimiterCore`), and refunds are too.
   */
  readonly inProcess: boolean;
  #cluster = false;

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
    this.#batcher = store.capabilities.shared ? new Batcher((checks) => this.#sendBatch(checks)) : undefined;
    this.inProcess = store.runSync !== undefined && store.capabilities.cluster !== true;
    if (store.capabilities.cluster === true) this.#enterClusterMode();
  }

  /** Checks `keys` (one per rule, in order): the check script's reply for it, and what it charged. */
  run(keys: readonly string[], cost: number): Promise<Decision> {
    if (this.#cluster) return this.#runBySlot(keys, cost);
    if (this.#batcher === undefined) return this.#send([keys], [cost]).then((reply) => this.#whole(reply));
    return this.#batcher.run(new Check(keys, cost));
  }

  /**
   * One script call for a tick's checks: each one's decision. On the first cross-slot refusal, the
   * runner goes into Cluster mode and each check of the batch is sent again on its own.
   */
  #sendBatch(checks: readonly Check[]): Promise<readonly (Decision | Promise<Decision>)[]> {
    const size = 2 + 3 * this.#set.rules.length;
    return this.#send(
      checks.map((check) => check.keys),
      checks.map((check) => check.cost),
    ).then(
      (reply) => checks.map((_, i) => this.#whole(reply.slice(i * size, (i + 1) * size))),
      (error: unknown) => {
        if ((error as { code?: unknown } | null)?.code !== CROSS_SLOT) throw error;
        this.#enterClusterMode();
        return checks.map((check) => this.#runBySlot(check.keys, check.cost));
      },
    );
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
    return new Decision(reply, undefined);
  }

  /** One script call for several checks. */
  #send(keys: readonly (readonly string[])[], costs: readonly number[]): Promise<CheckReply> {
    // A loop, not `keys.flat()`: Node 20's flat() costs ~70 ns an item, on every batch. Sized up
    // front, not a literal: it lives until the reply (cache-core README, "Per-call objects").
    let size = 0;
    for (const list of keys) size += list.length;
    const all = new Array<string>(size);
    let i = 0;
    for (const list of keys) for (const key of list) all[i++] = key;
    return this.#caller.run(this.#options.algorithm.check, all, this.#set.args(costs));
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
        return new Decision(combined, []);
      }
      charged.push({ group, at: reply[1] as number });
    }
    return new Decision(combined, charged);
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
    if (this.inProcess) {
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
