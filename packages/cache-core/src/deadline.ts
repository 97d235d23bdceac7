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
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let expiry: NodeJS.Immediate | undefined;
    const expire = (): void => {
      timedOut = true;
      reject(timeout());
    };
    const arm = (delay: number, graced: boolean): void => {
      const due = performance.now() + delay;
      timer = setTimeout(() => {
        const grace = graced ? 0 : starvationGraceMs(performance.now() - due, ms);
        if (grace > 0) arm(grace, true);
        else expiry = setImmediate(expire);
      }, delay);
      // A pending store call keeps the process alive if it must; the deadline should not.
      timer.unref();
    };
    arm(ms, false);
    const stop = (): void => {
      clearTimeout(timer);
      clearImmediate(expiry);
    };
    promise.then(
      (value) => {
        stop();
        if (!timedOut) resolve(value);
        else if (onLate !== undefined) {
          try {
            onLate(value);
          } catch {
            // Nobody is waiting for this call any more: there is no one to tell.
          }
        }
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}
