import type { ScriptCall } from "./client-adapter";
import { Deadline, type DeadlineQueue } from "./deadline-queue";
import { RedisTimeoutError } from "./errors";
import { mapRedisError } from "./map-redis-error";

/** What a {@link PendingCall} needs from the store that started it. */
export interface CallOwner {
  readonly pkg: string;
  readonly timeoutMs: number;
  readonly deadlines: DeadlineQueue;
  isReplyError(error: unknown): boolean;
  /** Told once per call, when it settles (the store counts calls in flight for `close()`). */
  ended(): void;
}

/** Sends one command through the adapter; scripts get the call, to check before writing. */
export type Send<T> = (call: ScriptCall) => Promise<T>;

/**
 * One store call in flight, settled exactly once: by the reply (mapped by `map`), by a failure
 * (mapped to this project's errors), or by its deadline (a timeout), whichever comes first. It is
 * its own deadline node and its own {@link ScriptCall}, so a call allocates one object rather than
 * a deadline, an AbortController and a closure per outcome.
 */
export class PendingCall<T, R> extends Deadline implements ScriptCall {
  settled = false;
  /** Set while the call waits for a starting client: cancels that wait. */
  cancelWait: (() => void) | undefined = undefined;
  readonly #owner: CallOwner;
  readonly #operation: string;
  readonly #script: string | undefined;
  readonly #map: (value: T) => R;
  readonly #resolve: (result: R) => void;
  readonly #reject: (error: unknown) => void;
  /** Told the reply if it arrives after the deadline expired the call (`RunOptions.onLateReply`). */
  #onLate: ((result: R) => void) | undefined;
  // Taken only for a client that asks for a signal (node-redis), and shared with the calls due
  // in the same millisecond: an AbortController per call was the largest single CPU cost of a
  // script call on ioredis, which only reads `settled`.
  #controller: AbortController | undefined;

  constructor(
    owner: CallOwner,
    operation: string,
    script: string | undefined,
    map: (value: T) => R,
    resolve: (result: R) => void,
    reject: (error: unknown) => void,
    onLate?: (result: R) => void,
  ) {
    super();
    this.#owner = owner;
    this.#operation = operation;
    this.#script = script;
    this.#map = map;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#onLate = onLate;
  }

  get signal(): AbortSignal {
    if (this.settled) return AbortSignal.abort();
    this.#controller ??= this.#owner.deadlines.signalFor(this.at);
    return this.#controller.signal;
  }

  start(send: Send<T>): void {
    this.cancelWait = undefined;
    try {
      send(this).then(
        (value) => this.#succeed(value),
        (error: unknown) => this.#fail(error),
      );
    } catch (error) {
      this.#fail(error);
    }
  }

  /**
   * The deadline passed first: reject, and abort the signal so a queued script is never written
   * (the calls sharing the signal are due now too: the queue is expiring them in this sweep).
   */
  override expire(): void {
    if (!this.#settle()) return;
    this.#controller?.abort();
    this.#reject(new RedisTimeoutError(this.#owner.pkg, this.#operation, this.#owner.timeoutMs));
  }

  #succeed(value: T): void {
    if (!this.#settle()) {
      // Only the deadline settles a call before its reply: this reply is late.
      this.#late(value);
      return;
    }
    try {
      this.#resolve(this.#map(value));
    } catch (error) {
      this.#reject(error);
    }
  }

  /**
   * The command ran after the call timed out (Redis was frozen or slow, not down): tell whoever
   * asked, so what the script took is not left held by a caller that was told it failed.
   */
  #late(value: T): void {
    const onLate = this.#onLate;
    if (onLate === undefined) return;
    this.#onLate = undefined;
    try {
      onLate(this.#map(value));
    } catch {
      // The caller was already told the call failed; there is no one left to tell.
    }
  }

  #fail(error: unknown): void {
    if (!this.#settle()) return;
    const owner = this.#owner;
    const isReply = owner.isReplyError(error);
    const call = { pkg: owner.pkg, operation: this.#operation, script: this.#script, isReply };
    this.#reject(mapRedisError(error, call));
  }

  /** Marks the call settled and releases what it held; false if it already was settled. */
  #settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.#owner.deadlines.remove(this);
    this.cancelWait?.();
    this.cancelWait = undefined;
    this.#owner.ended();
    return true;
  }
}
