import type { Clock } from "@mcp-persist/cache-core";
import { clusterSlot } from "@mcp-persist/cache-core/kit";

/**
 * Whether the store is worth asking. After a failure the limiter stops asking it (an outage then
 * costs callers no waiting, and nothing piles up in the client) and lets one call through per
 * `probeIntervalMs` to notice the recovery.
 */
export class StoreHealth {
  readonly #clock: Clock;
  readonly #probeIntervalMs: number;
  #downSince: number | undefined;
  #nextProbeAt = 0;
  #probing = false;

  constructor(clock: Clock, probeIntervalMs: number) {
    this.#clock = clock;
    this.#probeIntervalMs = probeIntervalMs;
  }

  /** Whether this call should ask the store: always while it is up, one probe at a time while down. */
  shouldAsk(): boolean {
    if (this.#downSince === undefined) return true;
    if (this.#probing || this.#clock.now() < this.#nextProbeAt) return false;
    this.#probing = true;
    return true;
  }

  /** Whether the last call to the store failed, and it has not answered since. */
  get isDown(): boolean {
    return this.#downSince !== undefined;
  }

  /** The store answered. Returns how long it had been away, if it had. */
  answered(): number | undefined {
    this.#probing = false;
    const since = this.#downSince;
    this.#downSince = undefined;
    return since === undefined ? undefined : this.#clock.now() - since;
  }

  /** The store failed or timed out. Returns true when this starts an outage. */
  failed(): boolean {
    const now = this.#clock.now();
    this.#probing = false;
    this.#nextProbeAt = now + this.#probeIntervalMs;
    if (this.#downSince !== undefined) return false;
    this.#downSince = now;
    return true;
  }

  /** Ms until the store is asked again (0 while it is up): a fair retry-after for a call denied meanwhile. */
  msUntilProbe(): number {
    if (this.#downSince === undefined) return 0;
    return Math.max(0, Math.ceil(this.#nextProbeAt - this.#clock.now()));
  }
}

/** Slots a Cluster has; a health per slot is made on first use, so at most this many exist. */
const SLOTS = 16_384;

/**
 * The health that gates a check, by its keys: one for a whole single-server store; per hash slot
 * on a Redis Cluster (`capabilities.cluster`), so a dead master makes only the checks whose keys
 * it serves skip the store, not every check in the process. A check's slot is its first key's
 * (the most specific rule: per caller per tool); checks whose rules sit on other slots too are
 * gated by that one.
 */
export class HealthByKeys {
  readonly #single: StoreHealth | undefined;
  readonly #bySlot: (StoreHealth | undefined)[] | undefined;
  readonly #clock: Clock;
  readonly #probeIntervalMs: number;

  constructor(cluster: boolean, clock: Clock, probeIntervalMs: number) {
    this.#clock = clock;
    this.#probeIntervalMs = probeIntervalMs;
    if (cluster) this.#bySlot = new Array<StoreHealth | undefined>(SLOTS);
    else this.#single = new StoreHealth(clock, probeIntervalMs);
  }

  /** True when every health is one object: outages are then logged once, not per slot. */
  get single(): boolean {
    return this.#single !== undefined;
  }

  of(keys: readonly string[]): StoreHealth {
    if (this.#single !== undefined) return this.#single;
    const slots = this.#bySlot as (StoreHealth | undefined)[];
    const slot = clusterSlot(keys[0] ?? "");
    let health = slots[slot];
    if (health === undefined) {
      health = new StoreHealth(this.#clock, this.#probeIntervalMs);
      slots[slot] = health;
    }
    return health;
  }
}
