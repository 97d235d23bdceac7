import type { StoreCaller } from "./store-caller";

/**
 * Store reads in flight, by key. Concurrent hits on one hot key (many sessions asking the same
 * question at once) share one GET instead of sending one each: the answer each would have got, for
 * one round trip. A read leaves the map as soon as it settles, so nothing is cached here, and every
 * caller still checks the entry's generations and freshness itself.
 */
export class SharedReads {
  readonly #reads = new Map<string, Promise<string | undefined>>();
  readonly #storeCaller: StoreCaller;

  constructor(storeCaller: StoreCaller) {
    this.#storeCaller = storeCaller;
  }

  /** The bounded `store.get(key)` already in flight, or a new one. */
  get(key: string): Promise<string | undefined> {
    let reading = this.#reads.get(key);
    if (reading === undefined) {
      reading = this.#storeCaller.get(key);
      this.#reads.set(key, reading);
      // Inline callbacks: a named closure would cost a defineProperty per read (see withDeadline).
      const settled = reading;
      settled.then(
        () => this.#forget(key, settled),
        () => this.#forget(key, settled),
      );
    }
    return reading;
  }

  /**
   * Stops sharing the read in flight for `key` (the entry changed meanwhile): callers from now on
   * send a read of their own, whose reply is newer than the change.
   */
  drop(key: string): void {
    this.#reads.delete(key);
  }

  /** {@link drop} for every key. */
  clear(): void {
    this.#reads.clear();
  }

  #forget(key: string, settled: Promise<string | undefined>): void {
    if (this.#reads.get(key) === settled) this.#reads.delete(key);
  }
}
