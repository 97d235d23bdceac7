/**
 * How much longer a deadline waits when its timer fired `lateMs` after it was due: the event loop
 * was busy (a CPU-bound handler, a saturated core, a long GC) and, all that time, could neither
 * send a request nor read a reply. A delay that is small next to the deadline (a tenth or less)
 * is ordinary timer jitter and gets nothing. A larger one is granted once, as long as it lasted
 * and at most one more deadline: the call gets back roughly the time the loop took from it, and a
 * call to a server that is really down still fails within a bounded time (the starvation, plus at
 * most `2 × timeoutMs`).
 */
export function starvationGraceMs(lateMs: number, timeoutMs: number): number {
  return lateMs > timeoutMs / 10 ? Math.min(lateMs, timeoutMs) : 0;
}

/**
 * Settles like `promise`, or rejects with `timeout()` after `ms` if it has not settled by then.
 * The store call itself is not cancelled (stores have no cancellation): its late result goes to
 * `onLate` (a lock granted after we gave up must be released; an error it throws is dropped) or
 * is dropped. Capabilities use it to put their own deadline on store calls.
 *
 * It measures the store, not the event loop. When the timer fires, the rejection waits for one
 * I/O poll (`setImmediate` runs right after the poll phase that reads sockets and pipes): a reply
 * that arrived while the loop was busy is read there and wins. A timer that fired well past its
 * time (the loop was starved) first grants the call that time again, once: see
 * {@link starvationGraceMs}.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  timeout: () => Error,
  onLate?: (value: T) => void,
): Promise<T> {
  // No named closures per call: the build keeps function names (for error classes), which costs a
  // defineProperty on every function bound to a name, here once per bounded store call. Inline
  // callbacks and one state object carry what the closures did.
  return new Promise<T>((resolve, reject) => {
    const race: Race<T> = {
      resolve,
      reject,
      ms,
      timeout,
      onLate,
      timedOut: false,
      timer: undefined,
      expiry: undefined,
    };
    arm(race, ms, false);
    promise.then(
      (value) => {
        stop(race);
        if (!race.timedOut) resolve(value);
        else if (onLate !== undefined) {
          try {
            onLate(value);
          } catch {
            // Nobody is waiting for this call any more: there is no one to tell.
          }
        }
      },
      (error: unknown) => {
        stop(race);
        reject(error);
      },
    );
  });
}

/** One call's race against its deadline. */
interface Race<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
  readonly ms: number;
  readonly timeout: () => Error;
  readonly onLate: ((value: T) => void) | undefined;
  timedOut: boolean;
  timer: NodeJS.Timeout | undefined;
  expiry: NodeJS.Immediate | undefined;
}

function arm<T>(race: Race<T>, delay: number, graced: boolean): void {
  race.timer = setTimeout(fire, delay, race, performance.now() + delay, graced);
  // A pending store call keeps the process alive if it must; the deadline should not.
  race.timer.unref();
}

function fire<T>(race: Race<T>, due: number, graced: boolean): void {
  const grace = graced ? 0 : starvationGraceMs(performance.now() - due, race.ms);
  if (grace > 0) arm(race, grace, true);
  else race.expiry = setImmediate(expire, race);
}

function expire<T>(race: Race<T>): void {
  race.timedOut = true;
  race.reject(race.timeout());
}

function stop<T>(race: Race<T>): void {
  clearTimeout(race.timer);
  clearImmediate(race.expiry);
}
