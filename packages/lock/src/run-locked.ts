import { holdLease, type LeaseParams } from "./lease";
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
  const lock: LockedContext = {
    locked: true,
    resource: params.resource,
    fencingToken,
    get signal() {
      return lease.signal;
    },
  };
  try {
    return { lock, settled: { ok: true, value: await fn(lock) } };
  } catch (error) {
    return { lock, settled: { ok: false, error } };
  } finally {
    lease.stop();
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
