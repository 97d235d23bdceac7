import { fullJitter, sleep } from "./backoff";
import { LockUnavailableError } from "./errors";
import type { ResolvedLockOptions } from "./resolve-options";

/** A script reply whose first element says what happened; `busy` ones are retried. */
export type TaggedReply = readonly [string, string | number];

/** How one call went: a reply from the store, or a store failure the policy says to run through. */
export type Acquisition<R extends TaggedReply> =
  | {
      readonly kind: "reply";
      readonly reply: R;
      /** `performance.now()` when the deciding attempt was sent: a lease it took runs from no earlier. */
      readonly sentAt: number;
      readonly waitedMs: number;
    }
  | { readonly kind: "store-error"; readonly error: unknown };

/** The two store operations one acquisition needs, called as methods. */
export interface Attempts<R extends TaggedReply> {
  /** One try, bounded by the store deadline. */
  attempt(): Promise<R>;
  /** Gives back what a successful try took (the caller was cancelled meanwhile). */
  undo(): Promise<unknown>;
  /** After a try that failed, and may have taken the lock all the same: gives it back in the background. */
  giveBackLater(): void;
}

/**
 * Tries until the reply is not `busy` or `waitMs` is spent, sleeping with full jitter between
 * tries. Rejects with the caller's abort reason when cancelled (undoing an acquisition that
 * raced the abort), and applies `onStoreDown` to store failures.
 */
export async function waitForLock<R extends TaggedReply>(
  resource: string,
  storeName: string,
  options: ResolvedLockOptions,
  attempts: Attempts<R>,
): Promise<Acquisition<R>> {
  const { signal } = options;
  const start = performance.now();
  for (let retry = 0; ; retry++) {
    signal?.throwIfAborted();
    const sentAt = performance.now();
    let reply: R;
    try {
      reply = await attempts.attempt();
    } catch (error) {
      attempts.giveBackLater();
      signal?.throwIfAborted();
      if (options.onStoreDown === "refuse") throw new LockUnavailableError(resource, storeName, error);
      options.outageWarnings.warn(
        "lock_unavailable_proceeding",
        { store: storeName, err: error },
        'the store is down: running the function without the lock (onStoreDown: "proceed")',
      );
      return { kind: "store-error", error };
    }
    if (signal?.aborted) {
      // Nobody wants the result any more: do not run the work, and do not keep others out.
      if (reply[0] === "acquired") await attempts.undo().catch(() => {});
      throw signal.reason;
    }
    const waitedMs = performance.now() - start;
    const left = options.waitMs - waitedMs;
    if (reply[0] !== "busy" || left <= 0) return { kind: "reply", reply, sentAt, waitedMs };
    await sleep(Math.min(left, fullJitter(retry, options.retryBaseMs, options.retryMaxMs)), signal);
  }
}
