/** What the function gets while it holds the lock. */
export interface LockedContext {
  /** `true`: no other holder can acquire the lock while the lease is confirmed. */
  readonly locked: true;
  /** The resource (or `once` key) that is locked. */
  readonly resource: string;
  /**
   * A number that only grows per resource, across holders and processes. Pass it to the system
   * you write to and have it reject writes carrying a smaller token than one it has seen: a
   * holder paused past its lease is then stopped there. Tokens are large (they start at the
   * store's time in microseconds); compare them, never assume they step by one.
   */
  readonly fencingToken: number;
  /**
   * Fires when the work should stop: the caller's `signal` aborted, or the lease could not be
   * confirmed (reason: `LockLostError`), always before the lease can expire in the store. Each
   * read also checks the lease against the monotonic clock, so a process that was paused past
   * its lease (a long GC, a stopped VM) sees it aborted on the first read afterwards: read
   * `lock.signal` right before the side effect rather than keeping it from the start.
   */
  readonly signal: AbortSignal;
}

/**
 * What the function gets when the store was down and `onStoreDown` is `"proceed"`: it runs
 * without a lock, and nothing keeps another worker from running at the same time.
 */
export interface UnlockedContext {
  readonly locked: false;
  readonly resource: string;
  readonly fencingToken: undefined;
  /** The caller's `signal`, or one that never fires. */
  readonly signal: AbortSignal;
  /** Why the lock could not be taken. */
  readonly storeError: unknown;
}

export type LockContext = LockedContext | UnlockedContext;

/**
 * The context type a call gets: {@link UnlockedContext} is possible only with
 * `onStoreDown: "proceed"` (or the deprecated `onStoreError: "proceed"`).
 */
export type ContextFor<O> = "proceed" extends O[keyof O & ("onStoreDown" | "onStoreError")]
  ? LockContext
  : LockedContext;

/** The function ran; its value is here. */
export interface LockRan<T, C extends LockContext = LockedContext> {
  readonly status: "ran";
  readonly value: T;
  /** The context the function ran with (`locked`, `fencingToken`). */
  readonly lock: C;
  /**
   * `true` when the lock was still this holder's at the end and was deleted; `false` when the
   * lease had lapsed (another holder may have run meanwhile), the release failed, or there was
   * no lock. A failed release never turns a result into an error.
   */
  readonly released: boolean;
}

/**
 * Another holder has the lock (still, after `waitMs`). The function did not run. Turn it into a
 * tool result with `busyToolResult`.
 */
export interface LockBusy {
  readonly status: "busy";
  readonly resource: string;
  /** Milliseconds left on the holder's lease when last seen: a hint, leases are extended. */
  readonly retryAfterMs: number;
  /** How long this call waited before giving up, in ms. */
  readonly waitedMs: number;
}

/** What `withLock` resolves to; `busy` is an outcome, not an error. */
export type LockResult<T, C extends LockContext = LockedContext> = LockRan<T, C> | LockBusy;

/** `once` ran the side effect in this call. */
export interface OnceRan<T, C extends LockContext = LockedContext> extends LockRan<T, C> {
  /**
   * `true` when the result was stored, so retries return it. `false` when it could not be (store
   * down, or the codec refused the value): retries then get `unknown`, never a second run.
   */
  readonly stored: boolean;
}

/** An earlier call ran the side effect; this is its stored result. */
export interface OnceDone<T> {
  readonly status: "done";
  readonly value: T;
}

/**
 * An earlier attempt started the side effect and its lease lapsed without a recorded result (a
 * crash, a lost store, or a process paused past its lease): it may or may not have taken effect,
 * so it is not run again. `clearOnce` allows a new attempt; it is safe only once the earlier one
 * can no longer act (see `clearOnce`). Or wait `retryAfterMs`.
 */
export interface OnceUnknown {
  readonly status: "unknown";
  readonly resource: string;
  /** Milliseconds until the mark of the unfinished attempt expires. */
  readonly retryAfterMs: number;
}

/** What `once` resolves to. */
export type OnceResult<T, C extends LockContext = LockedContext> =
  | OnceRan<T, C>
  | OnceDone<T>
  | LockBusy
  | OnceUnknown;
