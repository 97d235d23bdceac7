import { setMaxListeners } from "node:events";

/**
 * One call's deadline: a node of a {@link DeadlineQueue}. The queue sets `at` and links the node;
 * a call that settles first takes itself out with `remove`, so nothing keeps it alive after that.
 */
export abstract class Deadline {
  /** When it passes (`performance.now()` time). */
  at = 0;
  /** Neighbours in the queue; only the queue touches these. */
  prev: Deadline | undefined = undefined;
  next: Deadline | undefined = undefined;
  queued = false;
  /** Called once, if the deadline passes while the node is still queued. */
  abstract expire(): void;
}

/**
 * The deadlines of one store's calls, on a single timer. Every call gets the same timeout, so
 * deadlines arrive in order: a FIFO, swept when its head is due. A timer per call would cost a
 * timer list insertion and removal on every cache hit; this costs linking a node.
 *
 * It is a doubly linked list rather than an array swept later, so that `remove` is O(1) and a
 * settled call is garbage at once: kept until the sweep, every call (its promise, its reply)
 * lived `timeoutMs`, long enough to be promoted to the old generation, and the collector's time
 * showed in every call's CPU cost.
 */
export class DeadlineQueue {
  readonly #timeoutMs: number;
  #head: Deadline | undefined;
  #tail: Deadline | undefined;
  #timer: NodeJS.Timeout | undefined;
  #shared: AbortController | undefined;
  #sharedAt = 0;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Calls `deadline.expire()` after the timeout unless `remove(deadline)` is called first.
   * Deadlines are rounded up to the whole millisecond (a timer is no finer anyway), so the many
   * calls started within one millisecond share a deadline, and can share an abort signal: see
   * {@link signalFor}.
   */
  add(deadline: Deadline): void {
    deadline.at = Math.ceil(performance.now() + this.#timeoutMs);
    deadline.queued = true;
    deadline.prev = this.#tail;
    if (this.#tail === undefined) this.#head = deadline;
    else this.#tail.next = deadline;
    this.#tail = deadline;
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
  }

  /** Takes `deadline` out of the queue; does nothing if it is not in it (expired or removed). */
  remove(deadline: Deadline): void {
    if (!deadline.queued) return;
    deadline.queued = false;
    const { prev, next } = deadline;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    deadline.prev = undefined;
    deadline.next = undefined;
  }

  /**
   * An AbortController for calls due at `at`, to abort when they expire: the same one for every
   * call due at that millisecond (an AbortController per call cost a script call on node-redis
   * about a fifth of its CPU). Sharing is exact: calls with equal deadlines expire in the same
   * sweep, so whichever aborts it first, the others are timing out in that sweep too.
   */
  signalFor(at: number): AbortController {
    if (this.#shared === undefined || this.#sharedAt !== at) {
      this.#shared = new AbortController();
      // Every script call of that millisecond may listen to it: no leak, just many callers.
      setMaxListeners(0, this.#shared.signal);
      this.#sharedAt = at;
    }
    return this.#shared;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#sweep, ms);
    // A pending call is always backed by a client connection; the sweep alone should not keep a
    // process alive that has nothing else to do.
    this.#timer.unref();
  }

  // The timer is armed whenever the queue is not empty; removals leave it armed, and a sweep that
  // finds the queue empty lets it lapse.
  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    let head = this.#head;
    while (head !== undefined && head.at <= now) {
      this.remove(head);
      head.expire();
      head = this.#head;
    }
    if (head !== undefined) this.#arm(Math.max(1, head.at - now));
  };
}
