import { randomUUID } from "node:crypto";
import { leaseScripts } from "./lease-scripts";
import type { FleetSettings } from "./resolve-options";
import type { StoreCaller } from "./store-caller";

/** What a fleet read returns when the store holds no usable entry (yet). */
export const NO_ENTRY: unique symbol = Symbol("no entry");

/** How a flight goes on once it has asked the fleet. */
export type FleetTurn =
  /** This process holds the lease: call `fn`, store the result, then release it. */
  | { readonly kind: "lease"; readonly lease: Lease }
  /** Another process stored the entry meanwhile: its value. */
  | { readonly kind: "value"; readonly value: unknown }
  /** Call `fn` without the lease: the wait ran out, or the store failed. */
  | { readonly kind: "alone" };

/** The lease key of an entry: beside it, and in its slot whenever the entry key has a hash tag. */
export function leaseKeyOf(key: string): string {
  return `${key}:~lease`;
}

/** What the fleet tells the rest of the cache. */
export interface FleetHooks {
  /**
   * A lease was given back: wake the other processes' waiters. `written` names the write stored
   * under it (see `envelopeHead`); `undefined` when nothing was stored.
   */
  released(key: string, written: string | undefined): void;
  /** A lease or wait call failed; the flight went on alone. Logged, throttled. */
  failed(error: unknown): void;
}

interface Waiter {
  /** A wake-up came while the waiter was not asleep: its next sleep ends at once. */
  woken: boolean;
  wake: (() => void) | undefined;
}

const ALONE: FleetTurn = Object.freeze({ kind: "alone" });

/**
 * The fleet-wide single-flight: a process that misses takes a short lease in the store and calls
 * `fn`; the others wait for its entry, woken by the bus message its holder sends (see
 * {@link wake}) and re-reading every `pollMs` as a backstop. A waiter that finds the lease gone
 * and still no entry takes the lease itself (its holder died or its `fn` failed); one still
 * waiting after `waitMs`, or meeting a store error, calls `fn` on its own. Nobody hangs on a
 * lease, and nobody fails because of one.
 */
export class FleetFlights {
  readonly #caller: StoreCaller;
  readonly #settings: FleetSettings;
  readonly #hooks: FleetHooks;
  /** Makes lease tokens unique across processes (and caches in one process). */
  readonly #tokenPrefix = randomUUID();
  #count = 0;
  readonly #waiters = new Map<string, Set<Waiter>>();

  constructor(caller: StoreCaller, settings: FleetSettings, hooks: FleetHooks) {
    this.#caller = caller;
    this.#settings = settings;
    this.#hooks = hooks;
  }

  /** Another process wrote this entry or gave its lease back: the waiters look again now. */
  wake(key: string): void {
    const waiters = this.#waiters.get(key);
    if (waiters === undefined) return;
    for (const waiter of waiters) {
      waiter.woken = true;
      waiter.wake?.();
    }
  }

  /**
   * The lease for `key`, or the value another process stored meanwhile, or leave to go on alone.
   * `read` re-reads the entry: its value when usable, else {@link NO_ENTRY}; it may reject (a store
   * error), and so the flight goes on alone. Never rejects.
   */
  async turn(key: string, read: () => Promise<unknown>): Promise<FleetTurn> {
    const leaseKey = leaseKeyOf(key);
    const token = `${this.#tokenPrefix}:${++this.#count}`;
    const deadline = performance.now() + this.#settings.waitMs;
    const waiter: Waiter = { woken: false, wake: undefined };
    let waiters = this.#waiters.get(key);
    if (waiters === undefined) this.#waiters.set(key, (waiters = new Set()));
    waiters.add(waiter);
    try {
      if (await this.#acquire(leaseKey, token)) return await this.#hold(key, leaseKey, token, read);
      for (;;) {
        const left = deadline - performance.now();
        if (left <= 0) return ALONE;
        await sleep(waiter, Math.min(this.#settings.pollMs, left));
        const value = await read();
        if (value !== NO_ENTRY) return { kind: "value", value };
        if (await this.#acquire(leaseKey, token)) return await this.#hold(key, leaseKey, token, read);
      }
    } catch (error) {
      this.#hooks.failed(error);
      return ALONE;
    } finally {
      waiters.delete(waiter);
      if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
    }
  }

  /**
   * One attempt at the lease, for a background refresh: the lease, `"held"` when another process
   * holds it or stored a fresh entry meanwhile (`read` found one), or `undefined` when the store
   * cannot say (refresh alone). Never rejects.
   */
  async tryLease(key: string, read: () => Promise<unknown>): Promise<Lease | "held" | undefined> {
    const leaseKey = leaseKeyOf(key);
    const token = `${this.#tokenPrefix}:${++this.#count}`;
    try {
      if (!(await this.#acquire(leaseKey, token))) return "held";
      const turn = await this.#hold(key, leaseKey, token, read);
      return turn.kind === "lease" ? turn.lease : "held";
    } catch (error) {
      this.#hooks.failed(error);
      return undefined;
    }
  }

  async #acquire(leaseKey: string, token: string): Promise<boolean> {
    const ttl = this.#settings.leaseTtlMs;
    const reply = await this.#caller.run(leaseScripts.acquire, [leaseKey], [token, ttl], {
      // Taken after we gave up on the call (and went on alone): give it straight back, rather
      // than keep the others waiting for its TTL.
      onLateReply: (late) => {
        if (late === 1) this.#release(leaseKey, token).catch(() => {});
      },
    });
    return reply === 1;
  }

  /**
   * Just took the lease: but the entry may have been stored, and its lease given back, between
   * our miss and now. Looks once more, so such a late taker does not call `fn` again; if the
   * entry is there, the lease goes back at once (no message: nobody can be waiting on a lease
   * held this briefly but the pollers, which look again within `pollMs`).
   */
  async #hold(
    key: string,
    leaseKey: string,
    token: string,
    read: () => Promise<unknown>,
  ): Promise<FleetTurn> {
    let value: unknown;
    try {
      value = await read();
    } catch (error) {
      this.#release(leaseKey, token).catch(() => {});
      throw error;
    }
    if (value === NO_ENTRY) return { kind: "lease", lease: new Lease(this, key, leaseKey, token) };
    this.#release(leaseKey, token).catch(() => {}); // it expires by its TTL
    return { kind: "value", value };
  }

  /** @internal for {@link Lease}. */
  renew(leaseKey: string, token: string): Promise<number> {
    return this.#caller.run(leaseScripts.renew, [leaseKey], [token, this.#settings.leaseTtlMs]);
  }

  /** @internal for {@link Lease}. */
  async release(key: string, leaseKey: string, token: string, written: string | undefined): Promise<void> {
    try {
      await this.#release(leaseKey, token);
    } catch (error) {
      this.#hooks.failed(error); // it expires by its TTL
    }
    this.#hooks.released(key, written);
  }

  #release(leaseKey: string, token: string): Promise<number> {
    return this.#caller.run(leaseScripts.release, [leaseKey], [token]);
  }

  /** @internal for {@link Lease}: renew a third of the TTL before it runs out. */
  get renewEveryMs(): number {
    return Math.max(1, Math.floor(this.#settings.leaseTtlMs / 3));
  }
}

/** A lease this process holds: renewed while `fn` runs, released (once) when it is done. */
export class Lease {
  readonly #flights: FleetFlights;
  readonly #key: string;
  readonly #leaseKey: string;
  readonly #token: string;
  readonly #renewal: ReturnType<typeof setInterval>;
  #released = false;

  constructor(flights: FleetFlights, key: string, leaseKey: string, token: string) {
    this.#flights = flights;
    this.#key = key;
    this.#leaseKey = leaseKey;
    this.#token = token;
    this.#renewal = setInterval(() => {
      flights.renew(leaseKey, token).then(
        (held) => {
          if (held === 0) clearInterval(this.#renewal); // lost: someone else took over
        },
        () => {}, // the next renewal tries again; the TTL covers the gap
      );
    }, flights.renewEveryMs);
    // A renewal never keeps a process alive: the `fn` call it covers does, if anything.
    this.#renewal.unref?.();
  }

  /**
   * Gives the lease back and wakes the waiters; `written` names the entry stored under it, if
   * any. Idempotent; never rejects.
   */
  release(written?: string): Promise<void> {
    if (this.#released) return Promise.resolve();
    this.#released = true;
    clearInterval(this.#renewal);
    return this.#flights.release(this.#key, this.#leaseKey, this.#token, written);
  }
}

/** Until `ms` pass or the waiter is woken (at once if it was woken while awake). */
function sleep(waiter: Waiter, ms: number): Promise<void> {
  if (waiter.woken) {
    waiter.woken = false;
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      waiter.wake = undefined;
      waiter.woken = false;
      resolve();
    }
    waiter.wake = done;
  });
}
