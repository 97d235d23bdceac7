import type { StoreCaller } from "@mcp-persist/cache-core/kit";
import { LockLostError } from "./errors";
import { extendScript } from "./extend.lua";
import { leaseClock, ScheduledRenewal } from "./lease-clock";
import type { ResolvedLockOptions } from "./resolve-options";

/** What {@link holdLease} needs to keep a lock alive. */
export class LeaseParams {
  constructor(
    /** Calls the store, each call bounded by `storeTimeoutMs`. */
    readonly caller: StoreCaller,
    readonly resource: string,
    readonly lockKey: string,
    readonly token: string,
    /** `performance.now()` when the acquiring call was sent: the store set the lease no earlier. */
    readonly sentAt: number,
    /** `ttlMs`, `outageWarnings`, and the caller's `signal`, which the lease's own follows. */
    readonly options: ResolvedLockOptions,
  ) {}
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
  return new Lease(params);
}

/**
 * A lease being kept alive while the locked function runs. A class, not closures over a literal:
 * every `withLock` call builds one, and closures (named by the build on each creation) and a
 * getter in an object literal (a fresh hidden class per object) cost more CPU than the rest of
 * the call. Its renewals are on the process's {@link leaseClock}, not a timer of its own.
 */
export class Lease extends ScheduledRenewal {
  readonly #params: LeaseParams;
  readonly #ttlMs: number;
  /** A tenth of the lease, at most 1 s: see {@link holdLease}. */
  readonly #guardMs: number;
  // The signal is built on first read: most short functions never look at it, and an
  // AbortController is the largest cost of an in-process acquisition.
  #lost: AbortController | undefined;
  #lostReason: LockLostError | undefined;
  #signal: AbortSignal | undefined;
  #stopped = false;
  #watchdog: NodeJS.Timeout | undefined;
  #lastError: unknown;
  /** When the lease must be given up unless a renewal succeeds first. */
  #deadline = 0;

  constructor(params: LeaseParams) {
    super();
    this.#params = params;
    this.#ttlMs = params.options.ttlMs;
    this.#guardMs = Math.min(this.#ttlMs / 10, 1000);
    this.#confirm(params.sentAt);
  }

  /** Fires on the caller's abort, or with `LockLostError` before the lease can lapse. */
  get signal(): AbortSignal {
    // A holder paused past its lease (a long GC, SIGSTOP, a stalled VM, a starved event loop) may
    // read its signal before its timers have run: a reply it was awaiting is read in the same loop
    // turn that resumes it, and timers wait for the next. Reading the monotonic clock here makes
    // the first read after such a pause see the lock lost, before the holder acts on it.
    if (performance.now() >= this.#deadline) this.#lose(this.#expiredWhy(), this.#lastError);
    if (this.#signal) return this.#signal;
    this.#lost = new AbortController();
    if (this.#lostReason) this.#lost.abort(this.#lostReason);
    const caller = this.#params.options.signal;
    this.#signal = caller ? AbortSignal.any([caller, this.#lost.signal]) : this.#lost.signal;
    return this.#signal;
  }

  /** Stops renewing; call once the function has settled, before releasing. */
  stop(): void {
    this.#stopped = true;
    this.#clear();
  }

  /** Called by the lease clock when the next renewal is due. */
  renewDue(): void {
    const sentAt = performance.now();
    // Armed here rather than at each confirmation: the renewal is due well before the deadline
    // (ttl/3 < ttl - guard), so a function shorter than that never pays for a second timer.
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(expire, Math.max(0, this.#deadline - sentAt), this).unref();
    const { caller, lockKey, token } = this.#params;
    caller.run(extendScript, [lockKey], [token, Math.ceil(this.#ttlMs)]).then(
      (extended) => {
        if (this.#stopped || this.#lostReason) return;
        if (extended === 1) {
          clearTimeout(this.#watchdog);
          this.#confirm(sentAt);
        } else this.#lose("the lease had lapsed and the lock was gone or taken by another holder");
      },
      (error: unknown) => {
        if (this.#stopped || this.#lostReason) return;
        this.#lastError = error;
        this.#params.options.outageWarnings.warn(
          "lock_extend_failed",
          { store: caller.store.name, err: error },
          "could not renew a lock's lease; retrying while the lease lasts",
        );
        // Keep trying while the lease lasts; the watchdog fires if none succeeds in time.
        leaseClock.schedule(this, performance.now() + this.#ttlMs / 10);
      },
    );
  }

  /** The watchdog's callback: no renewal succeeded in time. */
  expire(): void {
    this.#lose(this.#expiredWhy(), this.#lastError);
  }

  #confirm(at: number): void {
    this.#deadline = at + this.#ttlMs - this.#guardMs;
    leaseClock.schedule(this, at + this.#ttlMs / 3);
  }

  #expiredWhy(): string {
    return `the lease could not be renewed for ${Math.round(this.#ttlMs - this.#guardMs)} ms`;
  }

  #clear(): void {
    clearTimeout(this.#watchdog);
    leaseClock.cancel(this);
  }

  #lose(why: string, cause?: unknown): void {
    if (this.#stopped || this.#lostReason) return;
    this.#clear();
    const options = cause === undefined ? undefined : { cause };
    this.#lostReason = new LockLostError(this.#params.resource, why, options);
    this.#lost?.abort(this.#lostReason);
  }
}

/** The watchdog's callback, with the lease as the timer's argument: no closure per timer. */
function expire(lease: Lease): void {
  lease.expire();
}
