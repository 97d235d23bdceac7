import type { ResolvedKey, ToolState } from "./cache-key";
import type { Coherence } from "./coherence";
import { envelopeHead, writeEnvelope } from "./envelope";
import type { FleetFlights, Lease } from "./fleet-flight";
import type { L1Tier } from "./l1-tier";
import type { ResolvedOptions } from "./resolve-options";
import type { Telemetry } from "./telemetry";

/** Marks "no stale value to fall back on" (`undefined` is a valid cached value). */
export const NO_STALE: unique symbol = Symbol("no stale value");

/** What a call asks of the cache: its TTL, grace window and error predicate. */
export interface Policy<T> {
  ttlMs: number;
  staleTtlMs: number;
  isError: (value: T) => boolean;
}

/** A call that missed: what computing and storing its result needs. */
export interface Call<T> extends Policy<T> {
  key: string;
  tool: ToolState;
}

/** Builds the {@link Call} a fill runs; only past the hit path, which needs none of it. */
export function fillCall<T>(resolved: ResolvedKey, tool: ToolState, policy: Policy<T>): Call<T> {
  return {
    key: resolved.key,
    tool,
    ttlMs: policy.ttlMs,
    staleTtlMs: policy.staleTtlMs,
    isError: policy.isError,
  };
}

type Fn<T> = () => T | Promise<T>;

/** The parts of a two-tier, fleet-wide cache a fill works with; each `undefined` when off. */
export interface FillTiers {
  /** The in-process first tier: a stored result is kept there too. */
  readonly l1: L1Tier | undefined;
  /** The coherence channel: a stored result is announced to the other processes. */
  readonly coherence: Coherence | undefined;
  /** The fleet-wide single-flight. */
  readonly fleet: FleetFlights | undefined;
  /**
   * Re-reads an entry for a flight waiting on another process: its value when usable under
   * `token`, else `NO_ENTRY`. Rejects on a store error.
   */
  readonly reread: (call: Call<unknown>, token: string) => Promise<unknown>;
}

/**
 * Everything after a miss: one `fn` call per key for all concurrent callers (single-flight, in
 * this process), stale fallbacks, and the bounded write of the result.
 */
export class CacheFill {
  readonly #options: ResolvedOptions;
  readonly #telemetry: Telemetry;
  readonly #tiers: FillTiers;
  /** Foreground `fn` calls by storage key: concurrent misses join them. */
  readonly #flights = new Map<string, Promise<unknown>>();
  /** Background refreshes (stale-while-revalidate) by storage key. */
  readonly #refreshing = new Map<string, Promise<unknown>>();
  /** Keys whose background refresh is asking the fleet for the lease. */
  readonly #leasing = new Set<string>();

  constructor(options: ResolvedOptions, telemetry: Telemetry, tiers: FillTiers) {
    this.#options = options;
    this.#telemetry = telemetry;
    this.#tiers = tiers;
  }

  /** The foreground call running for this key, if any. */
  running(key: string): Promise<unknown> | undefined {
    return this.#flights.get(key);
  }

  /**
   * Joins the call running `fn` for this key, or starts one. Its result is stored when `token`
   * is known (a failed store read leaves it undefined: the store looks down, so skip the write).
   * `stale` stands in if `fn` fails and stale-if-error is on.
   *
   * Counting, one rule whatever the timing: a caller that joins a running call is `coalesced`;
   * one that starts it after finding no usable entry (`missed`) is the one `miss`. Callers that
   * waited on a store read (generations not cached, or an asynchronous store) arrive here
   * together, after the first has started the call, and are counted exactly like callers that
   * found it running before reading the store.
   *
   * With `singleFlight: "fleet"` (and a store that answered), the call first asks the fleet: a
   * flight that gets another process's value counts `coalesced` (`scope: "fleet"`), not `miss`.
   */
  run<T>(call: Call<T>, fn: Fn<T>, token: string | undefined, stale: unknown, missed: boolean): Promise<T> {
    const running = this.#flights.get(call.key) ?? this.#refreshing.get(call.key);
    if (running !== undefined) {
      this.#telemetry.coalesced(call.tool, call.key);
      return running as Promise<T>;
    }
    const fleet = this.#tiers.fleet;
    if (fleet !== undefined && token !== undefined) {
      return this.#startFlight(
        call,
        () => this.#inFleet(fleet, call, fn, token, stale, missed),
        this.#flights,
      );
    }
    if (missed) this.#telemetry.miss(call.tool, call.key);
    return this.#startFlight(call, () => this.#compute(call, fn, token, stale, undefined), this.#flights);
  }

  /**
   * An expired entry within its grace window: with stale-while-revalidate, return it at once and
   * refresh it with one background call; without, wait for `fn` and keep it as the fallback.
   */
  serveStale<T>(call: Call<T>, fn: Fn<T>, token: string, stale: T): Promise<T> {
    if (!this.#options.staleWhileRevalidate) return this.run(call, fn, token, stale, true);
    this.#telemetry.stale(call.tool, call.key, "revalidate");
    if (this.#idle(call.key)) {
      const fleet = this.#tiers.fleet;
      if (fleet === undefined) this.#refresh(call, fn, token, undefined);
      else if (!this.#leasing.has(call.key)) this.#refreshInFleet(fleet, call, fn, token);
    }
    return Promise.resolve(stale);
  }

  /** No call for this key runs in this process, in the foreground or in the background. */
  #idle(key: string): boolean {
    return !this.#flights.has(key) && !this.#refreshing.has(key);
  }

  /** One background call refreshing a stale entry (under the fleet's lease, if it took one). */
  #refresh<T>(call: Call<T>, fn: Fn<T>, token: string, lease: Lease | undefined): void {
    this.#startFlight(call, () => this.#compute(call, fn, token, NO_STALE, lease), this.#refreshing).catch(
      (error: unknown) => this.#telemetry.refreshFailed(call.tool, call.key, error),
    );
  }

  /**
   * Refreshes a stale entry unless another process holds its lease, which means it is refreshing
   * (or computing) it for everyone. A store that cannot say refreshes here, as without the fleet.
   * Not registered as a flight meanwhile: no caller may join a refresh that may not happen.
   */
  #refreshInFleet<T>(fleet: FleetFlights, call: Call<T>, fn: Fn<T>, token: string): void {
    this.#leasing.add(call.key);
    void fleet
      .tryLease(call.key, () => this.#tiers.reread(call as Call<unknown>, token))
      .then((lease) => {
        this.#leasing.delete(call.key);
        if (lease === "held") return;
        if (!this.#idle(call.key)) {
          void lease?.release();
          return;
        }
        this.#refresh(call, fn, token, lease);
      });
  }

  /**
   * Calls `fn` once for everyone waiting on this key, until it settles. Encoding and the start of
   * the store write happen before it settles (an in-process store holds the entry by then; a
   * Redis store has the SET on the wire ahead of any later GET).
   */
  #startFlight<T>(
    call: Call<T>,
    compute: () => Promise<T>,
    registry: Map<string, Promise<unknown>>,
  ): Promise<T> {
    // finally() runs asynchronously, so `flight` is assigned and registered before it can run.
    const flight: Promise<T> = compute().finally(() => {
      if (registry.get(call.key) === flight) registry.delete(call.key);
    });
    registry.set(call.key, flight);
    return flight;
  }

  /** Asks the fleet first: another process's value, or the lease (or leave to go on alone), then `fn`. */
  async #inFleet<T>(
    fleet: FleetFlights,
    call: Call<T>,
    fn: Fn<T>,
    token: string,
    stale: unknown,
    missed: boolean,
  ): Promise<T> {
    const turn = await fleet.turn(call.key, () => this.#tiers.reread(call as Call<unknown>, token));
    if (turn.kind === "value") {
      this.#telemetry.coalesced(call.tool, call.key, "fleet");
      return turn.value as T;
    }
    if (missed) this.#telemetry.miss(call.tool, call.key);
    return this.#compute(call, fn, token, stale, turn.kind === "lease" ? turn.lease : undefined);
  }

  /** Calls `fn` and stores its result; a lease is given back once the result is stored (or will not be). */
  async #compute<T>(
    call: Call<T>,
    fn: Fn<T>,
    token: string | undefined,
    stale: unknown,
    lease: Lease | undefined,
  ): Promise<T> {
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      void lease?.release();
      if (stale !== NO_STALE && this.#options.staleIfError) return this.#fallBack(call, stale as T);
      throw error;
    }
    const verdict = this.#judge(call, value);
    if (verdict === "ok" && token !== undefined) {
      const writing = this.#write(call, token, value, lease === undefined);
      if (lease !== undefined) void writing.then((written) => lease.release(written));
      return value;
    }
    void lease?.release();
    if (verdict === "error") {
      if (stale !== NO_STALE && this.#options.staleIfError) return this.#fallBack(call, stale as T);
      this.#telemetry.bypass(call.tool, "error-result", call.key);
    } else if (verdict === "unknown") {
      this.#telemetry.bypass(call.tool, "error-result", call.key);
    }
    return value;
  }

  /**
   * Asks the `isError` predicate. One that throws is the application's bug, not the tool's: the
   * fresh value is still returned (the tool did its work), but uncached, since nobody can say it
   * is not an error.
   */
  #judge<T>(call: Call<T>, value: T): "ok" | "error" | "unknown" {
    try {
      return call.isError(value) ? "error" : "ok";
    } catch (error) {
      this.#telemetry.warn(
        "cache_is_error_failed",
        { tool: call.tool.name, err: error },
        "cache isError predicate threw; returned the result uncached",
      );
      return "unknown";
    }
  }

  #fallBack<T>(call: Call<T>, stale: T): T {
    this.#telemetry.stale(call.tool, call.key, "error");
    return stale;
  }

  /**
   * Encodes synchronously (before the caller can mutate the value), then stores, bounded; once
   * stored, keeps a copy in the first tier and (unless a lease release will) tells the other
   * processes. Resolves with the head of the envelope stored (see `envelopeHead`), if one was.
   * Never rejects.
   */
  async #write<T>(call: Call<T>, token: string, value: T, announce: boolean): Promise<string | undefined> {
    let payload: string;
    try {
      payload = this.#options.codec.encode(value);
    } catch (error) {
      this.#telemetry.bypass(call.tool, "unencodable", call.key);
      this.#telemetry.warn(
        "cache_unencodable",
        { tool: call.tool.name, err: error },
        "cache could not encode a result; returned it uncached",
      );
      return;
    }
    const ttlMs = this.#jittered(call.ttlMs);
    const { l1, coherence } = this.#tiers;
    const now = this.#options.clock.now();
    // With a first tier, every entry says when it stops being fresh: a copy read from the store
    // must not outlive the entry's TTL, and a GET does not tell the TTL.
    const fresh = call.staleTtlMs > 0 || l1 !== undefined ? Math.floor(now + ttlMs) : undefined;
    const envelope = writeEnvelope(fresh, token, payload);
    if (tooLarge(envelope, this.#options.maxValueBytes)) {
      this.#telemetry.bypass(call.tool, "too-large", call.key);
      return;
    }
    const ticket = l1 === undefined ? 0 : l1.ticket();
    try {
      const storeTtl = ttlMs + Math.ceil(call.staleTtlMs);
      await this.#options.storeCaller.set(call.key, envelope, storeTtl);
      this.#telemetry.set(call.tool, call.key, ttlMs);
    } catch (error) {
      this.#telemetry.storeError(call.tool, "set", error);
      return;
    }
    l1?.admit(call.key, envelope, fresh ?? Number.POSITIVE_INFINITY, now, ticket);
    const head = envelopeHead(envelope);
    if (announce && coherence !== undefined) await coherence.entryWritten(call.key, head);
    return head;
  }

  /** TTL in whole ms, shortened at random by up to `jitter` of itself, never lengthened. */
  #jittered(ttlMs: number): number {
    const ttl = Math.ceil(ttlMs);
    if (this.#options.jitter === 0) return ttl;
    return Math.max(1, ttl - Math.floor(Math.random() * this.#options.jitter * ttl));
  }
}

/** Byte length without encoding when the UTF-16 length already decides it (UTF-8 ≤ 3 bytes per unit). */
function tooLarge(text: string, maxBytes: number): boolean {
  if (text.length * 3 <= maxBytes) return false;
  if (text.length > maxBytes) return true;
  return Buffer.byteLength(text, "utf8") > maxBytes;
}
