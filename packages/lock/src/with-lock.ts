import type { Store } from "@mcp-persist/cache-core";
import { acquireScript } from "./acquire.lua";
import { assertName, assertStore, withLockArguments } from "./arguments";
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
 * - A lock the store grants after the call gave up on it (the store or `storeTimeoutMs` timed
 *   out) is released as soon as that reply arrives.
 *
 * Every argument is checked before the store is touched. Resolves to
 * `{ status: "ran", value, lock, released }` or `{ status: "busy", retryAfterMs }`. Rejects with
 * `fn`'s error, the `signal`'s reason, `LockUnavailableError` when the store fails and
 * `onStoreError` is `"fail"` (the default), or `InvalidOptionError` / `InvalidTtlError`.
 */
// `O = {}`: no options means the default policy, "fail", so the context is always locked.
export function withLock<T, O extends LockOptions = {}>(
  store: Store,
  resource: string,
  fn: (lock: ContextFor<O>) => T | Promise<T>,
  options?: O,
): Promise<LockResult<T, ContextFor<O>>>;
/**
 * @deprecated Pass the function before the options, `withLock(store, resource, fn, options)`, as
 * `once` and `cache.wrap` take them. This order still works (with a one-time `DeprecationWarning`,
 * code `MCP_PERSIST_LOCK_OPTIONS_BEFORE_FN`) until the next major version.
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
  third: unknown,
  fourth?: unknown,
): Promise<LockResult<T, LockContext>> {
  assertStore(store, "run");
  assertName(resource);
  const args = withLockArguments(third, fourth);
  const fn = args.fn as (lock: LockContext) => T | Promise<T>;
  const opts = resolveLockOptions(resource, args.options as LockOptions);
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
        // Granted after the call gave up on it: nobody will run under it, so let it go at once.
        (late) => {
          if (late[0] === "acquired")
            void quietly(release(), opts.logger, "lock_late_release_failed", store.name);
        },
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
