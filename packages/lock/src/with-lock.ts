import type { Store } from "@mcp-persist/cache-core";
import { acquireScript } from "./acquire.lua";
import { FENCE_TTL_MS } from "./fence.lua";
import { lockKeys } from "./keys";
import { type LockOptions, resolveLockOptions } from "./options";
import { releaseScript } from "./release.lua";
import { quietly, runLocked, runUnlocked } from "./run-locked";
import { runBounded } from "./store-call";
import { newToken } from "./token";
import type { ContextFor, LockContext, LockResult } from "./types";
import { waitForLock } from "./wait-for-lock";

/**
 * Runs `fn` while holding an exclusive lock on `resource`, across every process sharing `store`.
 *
 * - Acquires with SET NX PX and a random token, and hands out the next fencing token, in one
 *   round trip; with `waitMs`, retries a busy lock with full-jitter backoff.
 * - Renews the lease every `ttlMs / 3` while `fn` runs; if it cannot, `fn`'s `signal` fires
 *   before the lease can lapse.
 * - Releases with compare-and-delete: a holder whose lease lapsed never deletes the next
 *   holder's lock. A failed release is logged and reported as `released: false`; it never
 *   replaces `fn`'s value or error.
 *
 * Resolves to `{ status: "ran", value, lock, released }` or `{ status: "busy", retryAfterMs }`.
 * Rejects with `fn`'s error, the `signal`'s reason, or `LockUnavailableError` when the store
 * fails and `onStoreError` is `"fail"` (the default).
 */
export function withLock<T, O extends LockOptions = LockOptions>(
  store: Store,
  resource: string,
  options: O,
  fn: (lock: ContextFor<O>) => T | Promise<T>,
): Promise<LockResult<T, ContextFor<O>>>;
export async function withLock<T>(
  store: Store,
  resource: string,
  options: LockOptions,
  fn: (lock: LockContext) => T | Promise<T>,
): Promise<LockResult<T, LockContext>> {
  const opts = resolveLockOptions(resource, options);
  const keys = lockKeys(opts.namespace, "lock", resource);
  const token = newToken();
  const release = (): Promise<number> =>
    runBounded(store, releaseScript, [keys.lock], [token], opts.storeTimeoutMs);

  const got = await waitForLock(resource, store.name, opts, {
    attempt: () =>
      runBounded(
        store,
        acquireScript,
        [keys.lock, keys.fence],
        [token, Math.ceil(opts.ttlMs), FENCE_TTL_MS],
        opts.storeTimeoutMs,
        // Acquired after the deadline gave up on it: nobody will run under it, so let it go.
        (late) => late[0] === "acquired" && release().catch(() => {}),
      ),
    undo: release,
  });
  if (got.kind === "store-error") return runUnlocked(resource, got.error, opts.signal, fn);
  const [status, n] = got.reply;
  if (status === "busy") return { status, resource, retryAfterMs: Math.max(0, n), waitedMs: got.waitedMs };

  const { lock, settled } = await runLocked(
    { store, resource, lockKey: keys.lock, token, sentAt: got.sentAt, options: opts },
    n,
    fn,
  );
  const released = (await quietly(release(), opts.logger, "lock_release_failed", store.name)) === 1;
  if (!settled.ok) throw settled.error;
  return { status: "ran", value: settled.value, lock, released };
}
