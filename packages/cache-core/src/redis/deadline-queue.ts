/** One call's deadline. The caller sets `done` when the call settles first. */
export interface Deadline {
  readonly at: number;
  done: boolean;
  readonly expire: () => void;
}

/** Below this many settled entries at the front, the array is not worth compacting. */
const COMPACT_AFTER = 1024;

/**
 * The deadlines of one store's calls, on a single timer. Every call gets the same timeout, so
 * deadlines arrive in order: a FIFO, swept when its head is due. A timer per call would cost a
 * timer list insertion and removal on every cache hit; this costs an array push.
 */
export class DeadlineQueue {
  readonly #timeoutMs: number;
  #entries: Deadline[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Calls `expire` after the timeout unless the returned deadline is marked `done` first. */
  add(expire: () => void): Deadline {
    const deadline: Deadline = { at: performance.now() + this.#timeoutMs, done: false, expire };
    this.#entries.push(deadline);
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
    return deadline;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#sweep, ms);
    // A pending call is always backed by a client connection; the sweep alone should not keep a
    // process alive that has nothing else to do.
    this.#timer.unref();
  }

  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const entries = this.#entries;
    while (this.#head < entries.length) {
      const deadline = entries[this.#head] as Deadline;
      if (!deadline.done && deadline.at > now) break;
      this.#head++;
      if (!deadline.done) {
        deadline.done = true;
        deadline.expire();
      }
    }
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
      return;
    }
    if (this.#head > COMPACT_AFTER) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
    this.#arm(Math.max(1, (this.#entries[this.#head] as Deadline).at - now));
  };
}
