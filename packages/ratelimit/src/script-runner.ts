import type { Logger, Store } from "@mcp-persist/cache-core";
import { type StoreCaller, storeCaller, type ThrottledWarnings } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";
import type { LimitSet } from "./limit-set";
import type { ResolvedLimiterOptions } from "./resolve-options";
import { type CheckReply, refundArgs } from "./script-args";

/** Most checks sent in one script call: keeps each call short on the Redis server. */
const MAX_BATCH = 100;

/**
 * Parts a burst of decisions is handed out in: of 3, 4, 5, 6 and 8, the fastest at 16 checks in
 * flight on both clients. More parts overlap more but cost more script calls, each a socket write.
 */
const PARTS = 5;

/** Fewest decisions per part: a part of one would cost a script call per check. */
const MIN_PART = 2;

/** What a store raises for keys of several slots in one call on a Redis Cluster. */
const CROSS_SLOT = "ERR_CROSS_SLOT";

/** What a check charged on one slot group: the rules at `group`, at the store's time `at` (ms). */
export interface SlotCharge {
  readonly group: readonly number[];
  readonly at: number;
}

/** A check's reply, and what it charged: one entry per slot group charged (none when denied), or `undefined` for one script. */
export interface Decision {
  readonly reply: CheckReply;
  /**
   * `undefined` when the check went in one script (the common case): if allowed, it charged every
   * rule at the store's time `reply[1]`, so no list is made for it.
   */
  readonly charged: readonly SlotCharge[] | undefined;
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
  /**
   * Whether the store shares its keys with other processes (Redis): only then are a tick's checks
   * batched into one call. A store that is not shared saves no round trip by it.
   */
  readonly #batching: boolean;
  /**
   * An in-process store (`runSync`, never a Cluster): it can neither hang nor save a round trip,
   * so checks on it are decided at once (see `LimiterCore`), and refunds are too.
   */
  readonly inProcess: boolean;
  #cluster = false;
  #queue: Pending[] = [];

  /** Checks sent to the store whose reply has not come back. */
  #sentChecks = 0;
  /** Decisions not handed out yet, oldest first, from `#readyAt` on: check, decision, check, ... */
  #ready: (Pending | Decision)[] = [];
  #readyAt = 0;

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
    this.inProcess = store.runSync !== undefined && store.capabilities.cluster !== true;
    if (store.capabilities.cluster === true) this.#enterClusterMode();
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
      this.#sentChecks += batch.length;
      this.#send(
        batch.map((check) => check.keys),
        batch.map((check) => check.cost),
      ).then(
        (reply) => this.#answered(batch, reply, size),
        (error: unknown) => {
          this.#sentChecks -= batch.length;
          // Decisions of earlier replies still waiting their turn are handed out first: answers
          // the store gave before this failure must reach their callers (and the health gate)
          // before it, or they would mark a store that just failed as recovered.
          this.#handOutAll();
          this.#failed(batch, error);
        },
      );
    }
  }

  /**
   * A batch's reply: its decisions are handed out (see {@link #handOut}) after those still waiting
   * from earlier replies.
   */
  #answered(batch: readonly Pending[], reply: CheckReply, size: number): void {
    this.#sentChecks -= batch.length;
    const waiting = this.#ready.length > this.#readyAt;
    for (let i = 0; i < batch.length; i++) {
      this.#ready.push(batch[i] as Pending, this.#whole(reply.slice(i * size, (i + 1) * size)));
    }
    if (!waiting) this.#handOut();
  }

  /**
   * Resolves the oldest waiting decisions, at most a fifth of the checks this runner has out (at
   * least two), and leaves the rest to the next turn of the event loop. Handed out all at once, a
   * reply's decisions set off all their callers' next checks together, and those went to the store
   * as one call at the end of the tick: this process and the Redis server then took turns, each
   * idle while the other worked (0.66× `RateLimiterRedis` at 16 checks in flight on a quiet
   * machine). A part at a time, the next checks go out as several calls, one per turn, so the
   * server runs one while this process makes the next. A decision waits a few loop turns at most;
   * a check alone (nothing else out) is answered at once, as before.
   *
   * The next part is scheduled from `process.nextTick`, which runs once the part's continuations
   * (microtasks) have sent their checks: so its `setImmediate` comes after the one in which
   * node-redis writes what was sent (ioredis, through the store, writes at `nextTick`), and the
   * part's call leaves before the next part's checks are made.
   */
  readonly #handOut = (): void => {
    const ready = this.#ready;
    const from = this.#readyAt;
    const out = (ready.length - from) / 2 + this.#sentChecks;
    const part = Math.max(MIN_PART, Math.ceil(out / PARTS));
    const end = Math.min(ready.length, from + 2 * part);
    if (end === ready.length) {
      this.#ready = [];
      this.#readyAt = 0;
    } else {
      this.#readyAt = end;
      process.nextTick(this.#handOutNextTurn);
    }
    resolveEach(ready, from, end);
  };

  /** Resolves every decision still waiting, at once; a part already scheduled then finds none. */
  #handOutAll(): void {
    const ready = this.#ready;
    const from = this.#readyAt;
    this.#ready = [];
    this.#readyAt = 0;
    resolveEach(ready, from, ready.length);
  }

  readonly #handOutNextTurn = (): void => {
    setImmediate(this.#handOut);
  };

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
    return { reply, charged: undefined };
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

/** Resolves the checks in `ready[from..end)` (check, decision, check, ...) with their decisions, in order. */
function resolveEach(ready: readonly (Pending | Decision)[], from: number, end: number): void {
  for (let i = from; i < end; i += 2) (ready[i] as Pending).resolve(ready[i + 1] as Decision);
}
