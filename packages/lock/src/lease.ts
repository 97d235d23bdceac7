import type { StoreCaller } from "@mcp-persist/cache-core/kit";
import { LockLostError } from "./errors";
import { extendScript } from "./extend.lua";
import type { ResolvedLockOptions } from "./resolve-options";

/** What {@link holdLease} needs to keep a lock alive. */
export interface LeaseParams {
  /** Calls the store, each call bounded by `storeTimeoutMs`. */
  caller: StoreCaller;
  resource: string;
  lockKey: string;
  token: string;
  /** `performance.now()` when the acquiring call was sent: the store set the lease no earlier. */
  sentAt: number;
  /** `ttlMs`, `outageWarnings`, and the caller's `signal`, which the lease's own follows. */
  options: ResolvedLockOptions;
}

/** A lease being kept alive while the locked function runs. */
export interface Lease {
  /** Fires on the caller's abort, or with `LockLostError` before the lease can lapse. */
  readonly signal: AbortSignal;
  /** Stops renewing; call once the function has settled, before releasing. */
  stop(): void;
}

/**
 * Renews the lease every `ttl / 3` (compare-and-pexpire) and, independently, arms a watchdog on
 * the monotonic clock at `confirmed + ttl - guard`, where `confirmed` is when the last successful
 * renewal (or the acquisition) was *sent* — the store started the lease no earlier, so it cannot
 * lapse before `confirmed + ttl`. A renewal that hangs, fails or finds the lock gone therefore
 * aborts the signal before anyone else can take the lock. The guard (a tenth of the lease, at
 * most 1 s) absorbs timer lateness and clock-rate drift between hosts. A process paused past
 * the guard cannot be warned by a timer; reading the signal checks the clock too, so the first
 * read after the pause sees the lock lost.
 */
export function holdLease(params: LeaseParams): Lease {
  const { ttlMs, outageWarnings } = params.options;
  const guardMs = Math.min(ttlMs / 10, 1000);
  // The signal is built on first read: most short functions never look at it, and an
  // AbortController is the largest cost of an in-process acquisition.
  let lost: AbortController | undefined;
  let lostReason: LockLostError | undefined;
  let signal: AbortSignal | undefined;
  const readSignal = (): AbortSignal => {
    // A holder paused past its lease (a long GC, SIGSTOP, a stalled VM, a starved event loop) may
    // read its signal before its timers have run: a reply it was awaiting is read in the same loop
    // turn that resumes it, and timers wait for the next. Reading the monotonic clock here makes
    // the first read after such a pause see the lock lost, before the holder acts on it.
    if (performance.now() >= deadline) lose(expiredWhy(), lastError);
    if (signal) return signal;
    lost = new AbortController();
    if (lostReason) lost.abort(lostReason);
    const caller = params.options.signal;
    signal = caller ? AbortSignal.any([caller, lost.signal]) : lost.signal;
    return signal;
  };
  let stopped = false;
  let watchdog: NodeJS.Timeout | undefined;
  let renewal: NodeJS.Timeout | undefined;
  let lastError: unknown;

  const clear = (): void => {
    clearTimeout(watchdog);
    clearTimeout(renewal);
  };
  const lose = (why: string, cause?: unknown): void => {
    if (stopped || lostReason) return;
    clear();
    lostReason = new LockLostError(params.resource, why, cause === undefined ? undefined : { cause });
    lost?.abort(lostReason);
  };
  // Timers are unref'd: a lease alone must not keep a process alive that has nothing else to do.
  const after = (ms: number, run: () => void): NodeJS.Timeout => setTimeout(run, Math.max(0, ms)).unref();
  const renewIn = (ms: number): void => {
    renewal = after(ms, renew);
  };
  // When the lease must be given up unless a renewal succeeds first.
  let deadline = 0;
  const expiredWhy = (): string => `the lease could not be renewed for ${Math.round(ttlMs - guardMs)} ms`;
  const confirm = (at: number): void => {
    deadline = at + ttlMs - guardMs;
    renewIn(at + ttlMs / 3 - performance.now());
  };
  function renew(): void {
    const sentAt = performance.now();
    // Armed here rather than at each confirmation: the renewal is due well before the deadline
    // (ttl/3 < ttl - guard), so a function shorter than that never pays for a second timer.
    clearTimeout(watchdog);
    watchdog = after(deadline - sentAt, () => lose(expiredWhy(), lastError));
    params.caller.run(extendScript, [params.lockKey], [params.token, Math.ceil(ttlMs)]).then(
      (extended) => {
        if (stopped || lostReason) return;
        if (extended === 1) {
          clearTimeout(watchdog);
          confirm(sentAt);
        } else lose("the lease had lapsed and the lock was gone or taken by another holder");
      },
      (error: unknown) => {
        if (stopped || lostReason) return;
        lastError = error;
        outageWarnings.warn(
          "lock_extend_failed",
          { store: params.caller.store.name, err: error },
          "could not renew a lock's lease; retrying while the lease lasts",
        );
        // Keep trying while the lease lasts; the watchdog fires if none succeeds in time.
        renewIn(ttlMs / 10);
      },
    );
  }

  confirm(params.sentAt);
  return {
    get signal() {
      return readSignal();
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}
