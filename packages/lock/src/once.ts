import type { Store } from "@mcp-persist/cache-core";
import { assertFunction, assertName, assertOptions, assertStore } from "./arguments";
import { FENCE_TTL_MS } from "./fence.lua";
import { lockKeys } from "./keys";
import { onceBeginScript } from "./once-begin.lua";
import { onceAbandonScript, onceCommitScript } from "./once-finish.lua";
import { type OnceOptions, resolveOnceOptions } from "./options";
import { releaseScript } from "./release.lua";
import { quietly, runLocked, runUnlocked } from "./run-locked";
import { runBounded } from "./store-call";
import { newToken } from "./token";
import type { ContextFor, LockContext, OnceResult } from "./types";
import { waitForLock } from "./wait-for-lock";

const ONCE = "once(store, key, fn, options?)";

/**
 * Runs a side effect (send an email, charge a card) at most once per `key`, and remembers its
 * result for `resultTtlMs`: a retry after success gets `{ status: "done", value }` instead of a
 * second email.
 *
 * - One round trip looks for a stored result and, when there is none, takes the lock and marks
 *   the attempt as started.
 * - Concurrent callers get `busy` while the first runs, or with `waitMs` wait and then get
 *   `done` with its result.
 * - If `fn` throws, the mark is cleared and the lock released: a retry runs it again. `fn` must
 *   therefore throw only when the side effect did not happen.
 * - If the holder vanishes between starting and recording (a crash, a lost store), the mark
 *   stays: later calls get `unknown` (it may or may not have happened) rather than a repeat,
 *   until `resultTtlMs` passes or `clearOnce` is called. Pass `lock.fencingToken` or the key
 *   as an idempotency key downstream to close that gap entirely.
 */
// `O = {}`: no options means the default policy, "fail", so the context is always locked.
export function once<T, O extends OnceOptions = {}>(
  store: Store,
  key: string,
  fn: (lock: ContextFor<O>) => T | Promise<T>,
  options?: O,
): Promise<OnceResult<T, ContextFor<O>>>;
export async function once<T>(
  store: Store,
  key: string,
  fn: (lock: LockContext) => T | Promise<T>,
  options: OnceOptions = {},
): Promise<OnceResult<T, LockContext>> {
  assertStore(store, "run");
  assertName(key);
  assertFunction(fn, ONCE);
  assertOptions(options, ONCE);
  const opts = resolveOnceOptions(key, options);
  const { lock: lockKey, fence, record } = lockKeys(opts.namespace, "once", key);
  const token = newToken();
  const { logger, storeTimeoutMs } = opts;
  const recordTtl = Math.ceil(opts.resultTtlMs);
  const abandon = (): Promise<number> =>
    runBounded(store, onceAbandonScript, [lockKey, record], [token], storeTimeoutMs);

  const got = await waitForLock(key, store.name, opts, {
    attempt: () =>
      runBounded(
        store,
        onceBeginScript,
        [lockKey, fence, record],
        [token, Math.ceil(opts.ttlMs), FENCE_TTL_MS, recordTtl],
        storeTimeoutMs,
        // Started after the call gave up on it, and fn never ran: clear the mark at once, or every
        // retry would read `unknown` for resultTtlMs.
        (late) => {
          if (late[0] === "acquired") void quietly(abandon(), logger, "once_late_abandon_failed", store.name);
        },
      ),
    undo: abandon,
  });
  if (got.kind === "store-error")
    return { ...(await runUnlocked(key, got.error, opts.signal, fn)), stored: false };
  const reply = got.reply;
  switch (reply[0]) {
    case "done":
      return { status: "done", value: opts.codec.decode(reply[1]) as T };
    case "unknown":
      return { status: "unknown", resource: key, retryAfterMs: Math.max(0, reply[1]) };
    case "busy":
      return { status: "busy", resource: key, retryAfterMs: Math.max(0, reply[1]), waitedMs: got.waitedMs };
  }

  const { lock, settled } = await runLocked(
    { store, resource: key, lockKey, token, sentAt: got.sentAt, options: opts },
    reply[1],
    fn,
  );
  if (!settled.ok) {
    await quietly(abandon(), logger, "once_abandon_failed", store.name);
    throw settled.error;
  }
  let encoded: string;
  try {
    encoded = opts.codec.encode(settled.value);
  } catch (error) {
    // The side effect happened but cannot be recorded: keep the mark, so retries read `unknown`.
    logger.warn({ event: "once_result_not_encodable", store: store.name, error: String(error) });
    const released = await quietly(
      runBounded(store, releaseScript, [lockKey], [token], storeTimeoutMs),
      logger,
      "lock_release_failed",
      store.name,
    );
    return { status: "ran", value: settled.value, lock, released: released === 1, stored: false };
  }
  const committed = await quietly(
    runBounded(store, onceCommitScript, [lockKey, record], [token, encoded, recordTtl], storeTimeoutMs),
    logger,
    "once_commit_failed",
    store.name,
  );
  if (committed?.[0] === 0) {
    // The mark was gone: cleared (clearOnce, while this attempt was paused past its lease?) or
    // expired. Another attempt may have run the side effect too; its record, if any, is kept.
    logger.warn({ event: "once_mark_lost", store: store.name, fencingToken: lock.fencingToken });
  }
  return {
    status: "ran",
    value: settled.value,
    lock,
    released: committed?.[1] === 1,
    stored: committed?.[0] === 1,
  };
}
