import type { RedisClientAdapter } from "./client-adapter";

/**
 * - `ready`: send now.
 * - `starting`: the client has not been ready yet (connecting at start-up, or lazy): wait for it,
 *   within the call's deadline.
 * - `down`: it was ready and is not now (reconnecting): fail at once rather than queue, so an
 *   outage costs callers nothing and no command is sent late.
 */
export type ReadyState = "ready" | "starting" | "down";

/** Tracks one client's readiness with a single subscription, however many calls wait on it. */
export class Readiness {
  readonly #adapter: RedisClientAdapter<unknown>;
  readonly #waiters = new Set<() => void>();
  #wasReady: boolean;
  #unsubscribe: (() => void) | undefined;

  constructor(adapter: RedisClientAdapter<unknown>) {
    this.#adapter = adapter;
    this.#wasReady = adapter.isReady();
  }

  state(): ReadyState {
    if (this.#adapter.isReady()) {
      this.#wasReady = true;
      return "ready";
    }
    return this.#wasReady ? "down" : "starting";
  }

  /** Calls `listener` once the client is ready; returns a function that cancels the wait. */
  whenReady(listener: () => void): () => void {
    this.#waiters.add(listener);
    this.#unsubscribe ??= this.#adapter.onReady(() => this.#release());
    return () => {
      this.#waiters.delete(listener);
    };
  }

  /** Drops the subscription and every waiter (the store is closing). */
  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#waiters.clear();
  }

  #release(): void {
    this.#wasReady = true;
    const waiters = [...this.#waiters];
    this.dispose();
    for (const waiter of waiters) waiter();
  }
}
