/**
 * Keeps the event loop busy for `ms`, as a CPU-bound handler or a saturated core does: no timer
 * fires and no socket is read meanwhile, while Redis, in its own process, keeps answering.
 */
export function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

/**
 * Saturates the event loop until the returned function is called: blocks for `busyMs` (the first
 * time at once, before returning), lets it breathe for `idleMs`, again and again. Replies then
 * mostly arrive while nothing can read them.
 */
export function hogEventLoop(busyMs: number, idleMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  const hog = (): void => {
    blockEventLoop(busyMs);
    timer = setTimeout(hog, idleMs);
  };
  hog();
  return () => clearTimeout(timer);
}
