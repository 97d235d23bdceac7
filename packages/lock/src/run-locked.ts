import { holdLease, type Lease, type LeaseParams } from "./lease";
import type { LockedContext, LockRan, UnlockedContext } from "./types";

/** How the function settled: its value or its error, kept so the release cannot replace it. */
export type Settled<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/** Runs `fn` under a lease kept alive until it settles; never rejects. */
export async function runLocked<T>(
  params: LeaseParams,
  fencingToken: number,
  fn: (lock: LockedContext) => T | Promise<T>,
): Promise<{ lock: LockedContext; settled: Settled<T> }> {
  const lease = holdLease(params);
  const lock = new HeldLock(lease, params.resource, fencingToken);
  try {
    return { lock, settled: { ok: true, value: await fn(lock) } };
  } catch (error) {
    return { lock, settled: { ok: false, error } };
  } finally {
    lease.stop();
  }
}

/**
 * `signal` as an own, enumerable accessor (as on the plain object this context used to be), with
 * one getter shared by every context: a getter written in an object literal is a new function per
 * object, and so a new hidden class per object (about 0.5 µs a call, and old-generation garbage).
 */
const SIGNAL: PropertyDescriptor = {
  get(this: HeldLock) {
    return HeldLock.signalOf(this);
  },
  enumerable: true,
  configurable: true,
};

/** The context of a function holding the lock: `locked`, `resource`, `fencingToken`, `signal`. */
class HeldLock implements LockedContext {
  readonly locked = true;
  readonly resource: string;
  readonly fencingToken: number;
  declare readonly signal: AbortSignal;
  readonly #lease: Lease;

  constructor(lease: Lease, resource: string, fencingToken: number) {
    this.#lease = lease;
    this.resource = resource;
    this.fencingToken = fencingToken;
    Object.defineProperty(this, "signal", SIGNAL);
  }

  static signalOf(lock: HeldLock): AbortSignal {
    return lock.#lease.signal;
  }
}

/** `onStoreDown: "proceed"` and the store is down: runs `fn` without a lock, saying so in its context. */
export async function runUnlocked<T>(
  resource: string,
  storeError: unknown,
  signal: AbortSignal | undefined,
  fn: (lock: UnlockedContext) => T | Promise<T>,
): Promise<LockRan<T, UnlockedContext>> {
  const lock: UnlockedContext = {
    locked: false,
    resource,
    fencingToken: undefined,
    signal: signal ?? new AbortController().signal,
    storeError,
  };
  return { status: "ran", value: await fn(lock), lock, released: false };
}
