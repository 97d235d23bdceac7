import type { Call, FillTiers } from "./cache-fill";
import type { ToolState } from "./cache-key";
import { Coherence } from "./coherence";
import type { DecodedValues } from "./decoded-values";
import { freshUntil, payloadStart } from "./envelope";
import { FleetFlights, NO_ENTRY } from "./fleet-flight";
import type { Generations } from "./generations";
import { L1Tier } from "./l1-tier";
import type { ResolvedOptions } from "./resolve-options";
import type { SharedReads } from "./shared-reads";
import type { Telemetry } from "./telemetry";

/** Decodes an envelope's payload for a hit; `TierParts.undecodable` when it cannot (logged). */
export type Decode = (tool: ToolState, key: string, envelope: string, start: number) => unknown;

/** What {@link Tiers} works with, owned by the cache. */
export interface TierParts {
  readonly options: ResolvedOptions;
  readonly telemetry: Telemetry;
  readonly generations: Generations;
  readonly decoded: DecodedValues;
  readonly reads: SharedReads;
  readonly decode: Decode;
  /** What `decode` returns for a payload it cannot decode. */
  readonly undecodable: unknown;
}

/**
 * What a cache adds on a shared store, wired once: the first tier (`l1`), the coherence channel
 * that keeps it (and the generations) in step with the other processes, and the fleet-wide
 * single-flight woken through that channel. Each part is `undefined` when off; with all off
 * (the default, and every in-process store) the cache's hit path is what it was.
 */
export class Tiers {
  readonly l1: L1Tier | undefined;
  readonly coherence: Coherence | undefined;
  readonly fleet: FleetFlights | undefined;
  /** What a fill needs of these. */
  readonly fill: FillTiers;
  readonly #parts: TierParts;

  constructor(parts: TierParts) {
    this.#parts = parts;
    const { options, telemetry, generations, reads } = parts;
    const l1 = options.l1 === undefined ? undefined : new L1Tier(options.l1);
    this.l1 = l1;
    const fleet =
      options.fleet === undefined
        ? undefined
        : new FleetFlights(options.storeCaller, options.fleet, {
            released: (key, written) => {
              const coherence = this.coherence;
              if (coherence === undefined) return;
              void (written === undefined
                ? coherence.entryChanged(key)
                : coherence.entryWritten(key, written));
            },
            failed: (error) =>
              telemetry.warn(
                "cache_fleet_flight_failed",
                { err: error },
                "cache fleet single-flight could not use the store; the call went on alone",
              ),
          });
    this.fleet = fleet;
    const bus = options.store.bus;
    this.coherence =
      bus !== undefined && (l1 !== undefined || fleet !== undefined)
        ? new Coherence(bus, options.namespace, {
            entry: (key, written) => {
              this.dropLocal(key, written);
              fleet?.wake(key);
            },
            generation: (key) => generations.forget(key),
            // Listening (again): whatever was said meanwhile is lost, so start again from the store.
            reset: () => {
              l1?.clear();
              reads.clear();
              generations.forgetAll();
            },
            failed: (operation, error) =>
              telemetry.warn(
                `cache_coherence_${operation}_failed`,
                { err: error },
                "cache coherence channel failed; first-tier copies are bounded by l1.ttlMs meanwhile",
              ),
          })
        : undefined;
    this.fill = {
      l1,
      coherence: this.coherence,
      fleet,
      reread: (call, token) => this.#reread(call, token),
    };
  }

  /** A first-tier hit: the copy's value when there is one of these generations, else `undecodable`. */
  fromL1(l1: L1Tier, tool: ToolState, key: string, token: string | undefined, now: number): unknown {
    const { undecodable } = this.#parts;
    const copy = token === undefined ? undefined : l1.get(key, now);
    if (copy === undefined) return undecodable;
    const start = payloadStart(copy, token as string);
    const value = start > 0 ? this.#parts.decode(tool, key, copy, start) : undecodable;
    if (value !== undecodable) this.#parts.telemetry.l1Hit(tool, key);
    return value;
  }

  /**
   * Forgets what this process holds of an entry that changed: its first-tier copy (unless it is
   * the write `keep` names), its decoded tree, a shared read.
   */
  dropLocal(key: string, keep?: string): void {
    const { decoded, reads } = this.#parts;
    if (this.l1 === undefined) {
      decoded.forget(key);
      return;
    }
    if (this.l1.drop(key, keep) || keep === undefined) decoded.forget(key);
    reads.drop(key);
  }

  /** After this cache deleted an entry: a read sent before the DEL may have brought it back; tell the others. */
  async deleted(key: string): Promise<void> {
    this.dropLocal(key);
    await this.coherence?.entryChanged(key);
  }

  /**
   * After this cache moved a generation: tell the others (awaited, so that when an invalidation
   * resolves they have been told; a failed message is logged, not thrown: they still see the bump
   * within `generationRefreshMs`).
   */
  async bumped(genKey: string): Promise<void> {
    await this.coherence?.generationBumped(genKey);
  }

  /**
   * A fleet waiter's look at the store: the entry's value when it is fresh and of the current
   * generations (kept in the first tier too), else `NO_ENTRY`. Rejects on a store error.
   */
  async #reread(call: Call<unknown>, token: string): Promise<unknown> {
    const { options, decode, undecodable } = this.#parts;
    const l1 = this.l1;
    const ticket = l1 === undefined ? 0 : l1.ticket();
    const envelope = await options.storeCaller.get(call.key);
    if (envelope === undefined) return NO_ENTRY;
    const start = payloadStart(envelope, token);
    const now = options.clock.now();
    const until = freshUntil(envelope);
    if (start <= 0 || now >= until) return NO_ENTRY;
    const value = decode(call.tool, call.key, envelope, start);
    if (value === undecodable) return NO_ENTRY;
    l1?.admit(call.key, envelope, until, now, ticket);
    return value;
  }
}
