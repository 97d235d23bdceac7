import type { Clock } from "@mcp-persist/cache-core";

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
