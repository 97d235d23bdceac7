import type { RunOptions } from "@mcp-persist/cache-core";
import { type AcquireReply, acquireScript } from "./acquire.lua";
import { FENCE_TTL_MS } from "./fence.lua";
import { finishQuietly, QuietFailure } from "./finish-quietly";
import { giveBackLater } from "./give-back";
import type { LockKeys } from "./keys";
import { type OnceBeginReply, onceBeginScript } from "./once-begin.lua";
import { onceAbandonScript } from "./once-finish.lua";
import { releaseScript } from "./release.lua";
import type { ResolvedLockOptions, ResolvedOnceOptions } from "./resolve-options";
import type { LockCaller } from "./store-caller";
import type { Attempts } from "./wait-for-lock";

/*
 * The store calls of one `withLock` or `once` call, as methods of a class rather than closures
 * made per call (the build keeps function names, which sets a name on each closure as it is
 * made). What outlives a store call here is a class instance or an `Array.of` array, never a
 * literal: see "Per-call objects" in cache-core's README.
 */

/** What both kinds of call hold: the store, the keys, this holder's token, the options. */
abstract class HolderCalls<O extends ResolvedLockOptions> {
  constructor(
    readonly caller: LockCaller,
    readonly keys: LockKeys,
    readonly token: string,
    readonly options: O,
  ) {}

  /** Awaits a call that finishes a run without letting it fail: a failure is logged, resolves `undefined`. */
  quietly<R>(call: Promise<R>, event: string, message: string): Promise<R | undefined> {
    const { caller, options } = this;
    return finishQuietly(call, new QuietFailure(options.outageWarnings, event, caller.store.name, message));
  }

  /** Releases the lock if this holder still has it (compare-and-delete): 1 if it did, else 0. */
  release(): Promise<number> {
    return this.caller.batched.run(releaseScript, Array.of(this.keys.lock), Array.of(this.token));
  }

  /** Gives back what a successful attempt took. */
  abstract undo(): Promise<number>;

  /** How long what an attempt takes can outlive this holder in the store: after that it has expired. */
  abstract readonly keptForMs: number;

  /**
   * After an attempt or a give-back whose outcome is unknown (the store failed or timed out, and
   * the script may have run all the same: a cut connection loses its reply for good), gives back
   * in the background whatever this holder's token may still hold, until it succeeds or has
   * expired. Harmless when nothing was taken: `undo` compares the token.
   */
  giveBackLater(): void {
    giveBackLater(() => this.undo(), this.keptForMs, {
      warnings: this.options.outageWarnings,
      event: "lock_give_back_failed",
      store: this.caller.store.name,
      message: "could not give back a lock (or once mark) after a store failure; it stays until it expires",
    });
  }

  /**
   * For an attempt: the lock granted after the call gave up on it has nobody to run under it, so
   * it is given back (`undo`) as soon as that late reply arrives.
   */
  protected undoLateGrant<R extends AcquireReply | OnceBeginReply>(
    event: string,
    message: string,
  ): RunOptions<R> {
    return new UndoLateGrant<R>(this, event, message);
  }
}

/** `withLock`'s calls: take the lock, give it back. */
export class LockCalls extends HolderCalls<ResolvedLockOptions> implements Attempts<AcquireReply> {
  attempt(): Promise<AcquireReply> {
    const args = Array.of<string | number>(this.token, Math.ceil(this.options.ttlMs), FENCE_TTL_MS);
    const late = this.undoLateGrant<AcquireReply>(
      "lock_late_release_failed",
      "could not release a lock the store granted too late",
    );
    return this.caller.batched.run(acquireScript, Array.of(this.keys.lock, this.keys.fence), args, late);
  }

  undo(): Promise<number> {
    return this.release();
  }

  get keptForMs(): number {
    return this.options.ttlMs;
  }
}

/** `once`'s calls: look for a result and mark the attempt started, or clear the mark. */
export class OnceCalls extends HolderCalls<ResolvedOnceOptions> implements Attempts<OnceBeginReply> {
  /** The stored result's TTL, whole ms. */
  readonly recordTtl = Math.ceil(this.options.resultTtlMs);

  attempt(): Promise<OnceBeginReply> {
    const { lock, fence, record } = this.keys;
    const args = Array.of<string | number>(
      this.token,
      Math.ceil(this.options.ttlMs),
      FENCE_TTL_MS,
      this.recordTtl,
    );
    // Clearing the mark too, or every retry would read `unknown` for resultTtlMs.
    const late = this.undoLateGrant<OnceBeginReply>(
      "once_late_abandon_failed",
      "could not clear a once mark the store set too late",
    );
    return this.caller.run(onceBeginScript, Array.of(lock, fence, record), args, late);
  }

  /** The mark outlives the lock: an abandoned attempt's mark would read `unknown` until then. */
  get keptForMs(): number {
    return Math.max(this.options.ttlMs, this.recordTtl);
  }

  /** Clears the mark of this attempt and releases the lock (abandon). */
  undo(): Promise<number> {
    return this.caller.run(
      onceAbandonScript,
      Array.of(this.keys.lock, this.keys.record),
      Array.of(this.token),
    );
  }
}

/** For an attempt: gives back a grant that arrives after the call gave up on it. */
class UndoLateGrant<R extends AcquireReply | OnceBeginReply> implements RunOptions<R> {
  constructor(
    readonly calls: HolderCalls<ResolvedLockOptions>,
    readonly event: string,
    readonly message: string,
  ) {}

  // An arrow: the store calls it on its own, not as a method.
  readonly onLateReply = (late: R): void => {
    if (late[0] === "acquired") void this.calls.quietly(this.calls.undo(), this.event, this.message);
  };
}
