/** Counts work in progress so the drain phase knows when it is safe to close transports. */
export interface InFlight {
  /** Marks one unit of work as started; call the returned function when it ends (once is enough). */
  enter(): () => void;
  /** Counts `work` until it settles, and returns it unchanged. */
  track<Work extends PromiseLike<unknown>>(work: Work): Work;
  /** How many units are in progress now. */
  readonly size: number;
  /** Resolves true once nothing is in progress, or false when `withinMs` runs out first. */
  idle(withinMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  let size = 0;
  const waiters = new Set<() => void>();

  const enter = () => {
    size += 1;
    let left = false;
    // Idempotent, so `finally` blocks and `close` listeners can both call it safely.
    return () => {
      if (left) return;
      left = true;
      size -= 1;
      if (size === 0) for (const settle of waiters) settle();
    };
  };

  return {
    enter,
    track(work) {
      const leave = enter();
      // Both branches return undefined, so this derived promise never rejects unhandled.
      work.then(leave, leave);
      return work;
    },
    get size() {
      return size;
    },
    idle(withinMs) {
      return new Promise<boolean>((resolve) => {
        let done = false;
        const finish = (drained: boolean) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          waiters.delete(settle);
          resolve(drained);
        };
        // One turn of the event loop after the count reaches zero, so what settled work does
        // next in microtasks (the MCP SDK sending a tool's result) happens before transports close.
        const settle = () => {
          setImmediate(() => {
            if (size === 0) finish(true);
          });
        };
        const timer = setTimeout(() => finish(size === 0), withinMs);
        waiters.add(settle);
        if (size === 0) settle();
      });
    },
  };
}
