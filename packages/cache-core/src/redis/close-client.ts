import type { RedisClientAdapter } from "./client-adapter";

/**
 * Closes a client the store owns: drains it (`quit`: pending replies are read, then the
 * connection ends) for at most `drainMs`, then drops it (`disconnect`: whatever is still pending
 * is rejected, and the connection ends at once).
 *
 * A draining close alone never settles while Redis is frozen: it waits for replies to calls the
 * store has already abandoned (node-redis `close()`, ioredis `quit()` without a `commandTimeout`).
 * The store passes its own `timeoutMs`: a server that answers nothing within it is down by the
 * store's measure, and what is pending by then is replies the store gave up on, or commands of an
 * application on a client it handed over, which would fail the same way.
 */
export async function closeClient(adapter: RedisClientAdapter<unknown>, drainMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const drained = adapter.quit().then(
    () => true,
    () => false,
  );
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, drainMs, false);
  });
  const closed = await Promise.race([drained, late]);
  clearTimeout(timer);
  if (closed) return;
  try {
    // Also after a failed quit: whatever made it fail may have left the client reconnecting.
    adapter.disconnect();
  } catch {
    // node-redis 5's destroy() throws once its close() has begun (6 made it idempotent): that
    // client ends when its draining close does. close() itself must never fail on it.
  }
}
