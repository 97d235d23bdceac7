import type { Logger, Store } from "@mcp-persist/cache-core";
import type { Algorithm } from "./algorithms";
import type { LimitSet } from "./limit-set";
import { type CheckReply, refundArgs } from "./script-args";

/** Most checks sent in one script call: keeps each call short on the Redis server. */
const MAX_BATCH = 100;

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
 * A Redis Cluster refuses keys from different slots in one call (CROSSSLOT). From the first such
 * refusal on, the runner sends each check alone and, when its own limits sit in different slots,
 * one script per slot group, in order; when a later group denies, it takes back (refunds) what
 * the earlier groups charged.
 */
export class ScriptRunner {
  readonly #store: Store;
  readonly #algorithm: Algorithm;
  readonly #set: LimitSet;
  readonly #logger: Logger | undefined;
  /** In process there is no round trip to save: each check runs at once. */
  readonly #batching: boolean;
  #cluster = false;
  #queue: Pending[] = [];

  constructor(store: Store, algorithm: Algorithm, set: LimitSet, logger: Logger | undefined) {
    this.#store = store;
    this.#algorithm = algorithm;
    this.#set = set;
    this.#logger = logger;
    this.#batching = store.capabilities.shared;
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
    if (!(error instanceof Error && error.message.includes("CROSSSLOT"))) {
      for (const check of batch) check.reject(error);
      return;
    }
    if (!this.#cluster) {
      this.#cluster = true;
      this.#logger?.info(
        { event: "ratelimit_cluster_mode", store: this.#store.name },
        "[@mcp-persist/ratelimit] the store is a Redis Cluster: checks now go one at a time, one script per slot group",
      );
    }
    for (const check of batch) this.#runBySlot(check.keys, check.cost).then(check.resolve, check.reject);
  }

  /** One script call for several checks; a synchronous throw from the store becomes a rejection. */
  async #send(keys: readonly (readonly string[])[], costs: readonly number[]): Promise<CheckReply> {
    return this.#store.run(this.#algorithm.check, keys.flat(), this.#set.args(costs));
  }

  async #runBySlot(keys: readonly string[], cost: number): Promise<CheckReply> {
    const set = this.#set;
    if (set.slotGroups.length === 1) return this.#send([keys], [cost]);
    const combined = [1, 0, ...set.rules.flatMap(() => [0, 0, 0])];
    const charged: { group: readonly number[]; at: number }[] = [];
    for (const group of set.slotGroups) {
      const groupKeys = group.map((i) => keys[i] as string);
      const reply = await this.#store.run(this.#algorithm.check, groupKeys, set.args([cost], group));
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
    this.#store.run(this.#algorithm.refund, groupKeys, args).catch((error: unknown) => {
      this.#logger?.warn(
        { event: "ratelimit_refund_failed", store: this.#store.name, error: String(error) },
        "[@mcp-persist/ratelimit] could not take back a charge after another slot group denied the call",
      );
    });
  }
}
