import type { Store } from "@mcp-persist/cache-core";
import { assertFunction, assertName, assertOptions } from "./arguments";
import { lockKeys } from "./keys";
import { LeaseParams } from "./lease";
import { OnceCalls } from "./lock-calls";
import { onceCommitScript } from "./once-finish.lua";
import type { OnceOptions } from "./options";
import { resolveOnceOptions } from "./resolve-options";
import { runLocked, runUnlocked } from "./run-locked";
import { assertLockStore, lockStoreCaller } from "./store-caller";
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
  assertLockStore(store); // before any call: a wrong argument touches nothing
  assertName(key);
  assertFunction(fn, ONCE);
  assertOptions(options, ONCE);
  const resolved = resolveOnceOptions(key, options);
  const { logger, codec } = resolved;
  const keys = lockKeys(resolved.namespace, "once", key);
  const caller = lockStoreCaller(store, resolved.storeTimeoutMs);
  const calls = new OnceCalls(caller, keys, newToken(), resolved);
  const { token, recordTtl } = calls;
  const { lock: lockKey, record } = keys;

  const acquisition = await waitForLock(key, store.name, resolved, calls);
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

  const lease = new LeaseParams(caller, key, lockKey, token, acquisition.sentAt, resolved);
  const { lock, settled } = await runLocked(lease, reply[1], fn);
  if (!settled.ok) {
    const abandoned = await calls.quietly(
      calls.undo(),
      "once_abandon_failed",
      "could not clear the mark of a once attempt that threw",
    );
    if (abandoned === undefined) calls.giveBackLater(); // or retries would read `unknown`
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
    const released = await calls.quietly(calls.release(), "lock_release_failed", "could not release a lock");
    return { status: "ran", value: settled.value, lock, released: released === 1, stored: false };
  }
  const committed = await calls.quietly(
    caller.run(
      onceCommitScript,
      Array.of(lockKey, record),
      Array.of<string | number>(token, encoded, recordTtl),
    ),
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
