import type { Store } from "@mcp-persist/cache-core";
import { assertFunction, assertName, assertOptions, assertStore } from "./arguments";
import { FENCE_TTL_MS } from "./fence.lua";
import { finishQuietly } from "./finish-quietly";
import { lockKeys } from "./keys";
import { onceBeginScript } from "./once-begin.lua";
import { onceAbandonScript, onceCommitScript } from "./once-finish.lua";
import type { OnceOptions } from "./options";
import { releaseScript } from "./release.lua";
import { resolveOnceOptions } from "./resolve-options";
import { runLocked, runUnlocked } from "./run-locked";
import { lockStoreCaller } from "./store-caller";
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
// `O = {}`: no options means the default policy, "refuse", so the context is always locked.
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
  const resolved = resolveOnceOptions(key, options);
  const { logger, codec } = resolved;
  const { lock: lockKey, fence, record } = lockKeys(resolved.namespace, "once", key);
  const caller = lockStoreCaller(store, resolved.storeTimeoutMs);
  const token = newToken();
  const recordTtl = Math.ceil(resolved.resultTtlMs);
  const quietly = <R>(call: Promise<R>, event: string, message: string): Promise<R | undefined> =>
    finishQuietly(call, { warnings: resolved.outageWarnings, event, store: store.name, message });
  const abandon = (): Promise<number> => caller.run(onceAbandonScript, [lockKey, record], [token]);

  const acquisition = await waitForLock(key, store.name, resolved, {
    attempt: () =>
      caller.run(
        onceBeginScript,
        [lockKey, fence, record],
        [token, Math.ceil(resolved.ttlMs), FENCE_TTL_MS, recordTtl],
        {
          // Started after the call gave up on it, and fn never ran: clear the mark at once, or every
          // retry would read `unknown` for resultTtlMs.
          onLateReply(late) {
            if (late[0] === "acquired")
              void quietly(
                abandon(),
                "once_late_abandon_failed",
                "could not clear a once mark the store set too late",
              );
          },
        },
      ),
    undo: abandon,
  });
  if (acquisition.kind === "store-error")
    return { ...(await runUnlocked(key, acquisition.error, resolved.signal, fn)), stored: false };
  const reply = acquisition.reply;
  switch (reply[0]) {
    case "done":
      return { status: "done", value: codec.decode(reply[1]) as T };
    case "unknown":
      return { status: "unknown", resource: key, retryAfterMs: Math.max(0, reply[1]) };
    case "busy":
      return {
        status: "busy",
        resource: key,
        retryAfterMs: Math.max(0, reply[1]),
        waitedMs: acquisition.waitedMs,
      };
  }

  const lease = { caller, resource: key, lockKey, token, sentAt: acquisition.sentAt, options: resolved };
  const { lock, settled } = await runLocked(lease, reply[1], fn);
  if (!settled.ok) {
    await quietly(abandon(), "once_abandon_failed", "could not clear the mark of a once attempt that threw");
    throw settled.error;
  }
  let encoded: string;
  try {
    encoded = codec.encode(settled.value);
  } catch (err) {
    // The side effect happened but cannot be recorded: keep the mark, so retries read `unknown`.
    logger.warn(
      { event: "once_result_not_encodable", store: store.name, err },
      "once ran the side effect but the codec refused its result: retries get unknown",
    );
    const released = await quietly(
      caller.run(releaseScript, [lockKey], [token]),
      "lock_release_failed",
      "could not release a lock",
    );
    return { status: "ran", value: settled.value, lock, released: released === 1, stored: false };
  }
  const committed = await quietly(
    caller.run(onceCommitScript, [lockKey, record], [token, encoded, recordTtl]),
    "once_commit_failed",
    "could not record the result of a once side effect: retries get unknown",
  );
  if (committed?.[0] === 0) {
    // The mark was gone: cleared (clearOnce, while this attempt was paused past its lease?) or
    // expired. Another attempt may have run the side effect too; its record, if any, is kept.
    logger.warn(
      { event: "once_mark_lost", store: store.name, fencingToken: lock.fencingToken },
      "once's mark was gone when its result was recorded: another attempt may have run the side effect too",
    );
  }
  return {
    status: "ran",
    value: settled.value,
    lock,
    released: committed?.[1] === 1,
    stored: committed?.[0] === 1,
  };
}
