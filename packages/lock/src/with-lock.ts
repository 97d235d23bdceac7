import type { Store } from "@mcp-persist/cache-core";
import { assertName, withLockArguments } from "./arguments";
import { lockKeys } from "./keys";
import { LeaseParams } from "./lease";
import { LockCalls } from "./lock-calls";
import type { LockOptions } from "./options";
import { resolveLockOptions } from "./resolve-options";
import { runLocked, runUnlocked } from "./run-locked";
import { assertLockStore, lockStoreCaller } from "./store-caller";
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
 *   out) is released as soon as that reply arrives; after a failed attempt or release whose reply
 *   may never come (a cut connection), the lock is given back by token in the background.
 *
 * Every argument is checked before the store is touched. Resolves to
 * `{ status: "ran", value, lock, released }` or `{ status: "busy", retryAfterMs }`. Rejects with
 * `fn`'s error, the `signal`'s reason, `LockUnavailableError` when the store is down and
 * `onStoreDown` is `"refuse"` (the default), or `InvalidOptionError` / `InvalidTtlError`.
 */
// `O = {}`: no options means the default policy, "refuse", so the context is always locked.
export function withLock<T, O extends LockOptions = {}>(
  store: Store,
  resource: string,
  fn: (lock: ContextFor<O>) => T | Promise<T>,
  options?: O,
): Promise<LockResult<T, ContextFor<O>>>;
/**
 * @deprecated Pass the function before the options, `withLock(store, resource, fn, options)`, as
 * `once` and `cache.wrap` take them. This order still works (with a one-time `DeprecationWarning`,
 * code `MCP_PERSIST_DEPRECATED`) until the next major version.
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
  assertLockStore(store); // before any call: a wrong argument touches nothing
  assertName(resource);
  const args = withLockArguments(third, fourth);
  const fn = args.fn as (lock: LockContext) => T | Promise<T>;
  const options = resolveLockOptions(resource, args.options as LockOptions);
  const keys = lockKeys(options.namespace, "lock", resource);
  const caller = lockStoreCaller(store, options.storeTimeoutMs);
  const calls = new LockCalls(caller, keys, newToken(), options);

  const acquisition = await waitForLock(resource, store.name, options, calls);
  if (acquisition.kind === "store-error") return runUnlocked(resource, acquisition.error, options.signal, fn);
  const [status, tokenOrWait] = acquisition.reply;
  if (status === "busy") {
    return { status, resource, retryAfterMs: Math.max(0, tokenOrWait), waitedMs: acquisition.waitedMs };
  }

  const lease = new LeaseParams(caller, resource, keys.lock, calls.token, acquisition.sentAt, options);
  const { lock, settled } = await runLocked(lease, tokenOrWait, fn);
  const reply = await calls.quietly(calls.release(), "lock_release_failed", "could not release a lock");
  // The release may not have reached the store: try again in the background rather than leave
  // the lock to its TTL (a reply of 0 is certain: the lock was not ours any more).
  if (reply === undefined) calls.giveBackLater();
  const released = reply === 1;
  if (!settled.ok) throw settled.error;
  return { status: "ran", value: settled.value, lock, released };
}
