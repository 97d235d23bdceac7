import { setMaxListeners } from "node:events";
import { starvationGraceMs } from "../deadline";
import { LinkedList, ListNode } from "../linked-list";

/**
 * One call's deadline: a node of a {@link DeadlineQueue}. The queue sets `at` and links the node;
 * a call that settles first takes itself out with `remove`, so nothing keeps it alive after that.
 */
export abstract class Deadline extends ListNode<Deadline> {
  /** When it passes (`performance.now()` time). */
  at = 0;
  /** Called once, if the deadline passes while the node is still queued. */
  abstract expire(): void;
}

/**
 * The deadlines of one store's calls, on a single timer. Every call gets the same timeout, so
 * deadlines arrive in order: a FIFO, swept when its head is due. A timer per call would cost a
 * timer list insertion and removal on every cache hit; this costs linking a node.
 *
 * It is a {@link LinkedList} rather than an array swept later, so that `remove` is O(1) and a
 * settled call is garbage at once: kept until the sweep, every call (its promise, its reply)
 * lived `timeoutMs`, long enough to be promoted to the old generation, and the collector's time
 * showed in every call's CPU cost.
 *
 * It measures Redis, not the event loop. A busy loop (a CPU-bound handler, a saturated core) runs
 * the timer late, and meanwhile replies pile up unread in the socket: expiring those calls would
 * fail healthy calls on a healthy server. So a sweep never expires at once. It waits one I/O poll
 * (`setImmediate` runs right after the poll phase that reads sockets), where every reply already
 * in the socket is read and settles its call; only calls still unsettled then expire. And a timer
 * that fired well past its time (the loop was starved: see `starvationGraceMs`) first grants the
 * calls then due that time again, once, for a request the starved loop could not even write, or a
 * reply that had not arrived yet: a call expires after at most its deadline, the starvation, and
 * one more deadline.
 */
export class DeadlineQueue {
  readonly #timeoutMs: number;
  readonly #queue = new LinkedList<Deadline>();
  /** True while a timer, or a sweep waiting for its I/O poll, is pending: the queue's one wake-up. */
  #scheduled = false;
  /** When the pending timer was due: how late it fires tells a starved loop from a slow server. */
  #timerDue = 0;
  /** Calls due at or before this were granted the starved time already, until `#graceEnds`. */
  #gracedUpTo = Number.NEGATIVE_INFINITY;
  #graceEnds = 0;
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
    this.#queue.push(deadline);
    if (!this.#scheduled) this.#arm(this.#timeoutMs, deadline.at);
  }

  /** Takes `deadline` out of the queue; does nothing if it is not in it (expired or removed). */
  remove(deadline: Deadline): void {
    this.#queue.remove(deadline);
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

  #arm(ms: number, due: number): void {
    this.#scheduled = true;
    this.#timerDue = due;
    // A pending call is always backed by a client connection; the sweep alone should not keep a
    // process alive that has nothing else to do.
    setTimeout(this.#sweep, ms).unref();
  }

  /** Arms the timer for the head's deadline (or the end of its grace), or lets it lapse when empty. */
  #armNext(now: number): void {
    const head = this.#queue.head;
    if (head === undefined) {
      this.#scheduled = false;
      return;
    }
    const due = head.at <= this.#gracedUpTo ? this.#graceEnds : head.at;
    this.#arm(Math.max(1, due - now), due);
  }

  // Removals leave the timer armed; a sweep that finds nothing due re-arms it for the new head.
  readonly #sweep = (): void => {
    const now = performance.now();
    let cutoff = now;
    const grace = starvationGraceMs(now - this.#timerDue, this.#timeoutMs);
    if (grace > 0) {
      // Starved: the calls due now get `grace` more, once; those granted it before expire.
      cutoff = this.#gracedUpTo;
      this.#gracedUpTo = now;
      this.#graceEnds = now + grace;
    }
    const head = this.#queue.head;
    if (head !== undefined && head.at <= cutoff) setImmediate(this.#expire, cutoff);
    else this.#armNext(now);
  };

  // Runs after the I/O poll that followed the sweep: calls whose reply was waiting are settled and
  // gone from the queue by now, and calls with equal deadlines still expire together.
  readonly #expire = (cutoff: number): void => {
    let head = this.#queue.head;
    while (head !== undefined && head.at <= cutoff) {
      this.#queue.remove(head);
      head.expire();
      head = this.#queue.head;
    }
    this.#armNext(performance.now());
  };
}
