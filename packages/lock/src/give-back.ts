import { StoreClosedError } from "@mcp-persist/cache-core";
import type { QuietFailure } from "./finish-quietly";

/** First wait before trying again; doubled after each failure, up to {@link MAX_RETRY_MS}. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;

/**
 * Gives back, in the background, what a store call with an unknown outcome may have left in the
 * store under this holder's token: an attempt whose reply was lost (the connection was cut after
 * the script was written, so no late reply will ever come), or a release that failed. `giveBack`
 * is a compare-and-delete by token, harmless when nothing is there, so it is simply tried again,
 * with backoff, until it succeeds, until `forMs` have passed (the key has expired by itself by
 * then), or until the store is closed.
 *
 * The timers are unref'd: a give-back never keeps a process alive, and a process that exits
 * first leaves the key to its TTL, as it would without this.
 */
export function giveBackLater(giveBack: () => Promise<unknown>, forMs: number, failure: QuietFailure): void {
  const until = performance.now() + forMs;
  const attempt = (waitMs: number): void => {
    giveBack().then(undefined, (err: unknown) => {
      if (err instanceof StoreClosedError) return;
      if (performance.now() + waitMs >= until) {
        failure.warnings.warn(failure.event, { store: failure.store, err }, failure.message);
        return;
      }
      setTimeout(attempt, waitMs, Math.min(waitMs * 2, MAX_RETRY_MS)).unref();
    });
  };
  attempt(FIRST_RETRY_MS);
}
