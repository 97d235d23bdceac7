import { LinkedList, ListNode } from "@mcp-persist/cache-core/kit";

/**
 * A lease's place in the {@link LeaseClock}: when its next renewal is due, and its neighbours in
 * the clock's list. Only the clock touches these fields.
 */
export abstract class ScheduledRenewal extends ListNode<ScheduledRenewal> {
  /** When the renewal is due (`performance.now()` time). */
  dueAt = 0;
  /** Called once, when the renewal falls due while still scheduled. */
  abstract renewDue(): void;
}

/**
 * The renewals of every lease in the process, on one timer. A timer per lease cost each
 * `withLock` call a `Timeout` and two timer-list updates, though a function that settles within
 * `ttl / 3` (nearly every one) never needs its renewal: here a call links a node into a list and
 * takes it out again, and the one timer is armed again only when a renewal falls due.
 *
 * The list is sorted by due time. A new renewal is inserted by walking back from the tail, which
 * is one step when leases share a TTL (each is due after those already waiting); a cancelled one
 * is unlinked at once. The timer is armed for the head; a cancellation never moves it later, so
 * at worst it fires early, finds nothing due, and is armed for the new head (or, with nothing
 * left, not again). It is unref'd: leases alone must not keep a process alive.
 */
export class LeaseClock {
  readonly #renewals = new LinkedList<ScheduledRenewal>();
  #timer: NodeJS.Timeout | undefined;
  /** When the timer fires; `Infinity` when it is not armed. */
  #timerAt = Number.POSITIVE_INFINITY;

  /** Calls `renewal.renewDue()` at `dueAt` (or as soon after as the event loop allows). */
  schedule(renewal: ScheduledRenewal, dueAt: number): void {
    this.cancel(renewal);
    renewal.dueAt = dueAt;
    let before = this.#renewals.tail;
    while (before !== undefined && before.dueAt > dueAt) before = before.prev;
    this.#renewals.insertAfter(before, renewal);
    if (dueAt < this.#timerAt) this.#arm(dueAt);
  }

  /** Takes `renewal` off the clock; does nothing if it is not on it. */
  cancel(renewal: ScheduledRenewal): void {
    this.#renewals.remove(renewal);
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(fire, Math.max(0, at - performance.now()), this).unref();
  }

  /** The timer's callback: renews what is due, then arms the timer for what is left. */
  fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    try {
      const renewals = this.#renewals;
      for (let head = renewals.head; head !== undefined && head.dueAt <= now; head = renewals.head) {
        renewals.remove(head);
        head.renewDue();
      }
    } finally {
      // Even if a renewal threw, the others stay on time.
      if (this.#renewals.head !== undefined) this.#arm(this.#renewals.head.dueAt);
    }
  }
}

function fire(clock: LeaseClock): void {
  clock.fire();
}

/** The process's one lease clock. */
export const leaseClock = new LeaseClock();
