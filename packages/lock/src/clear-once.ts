import type { Store } from "@mcp-persist/cache-core";
import { assertName, assertOptions } from "./arguments";
import { lockKeys } from "./keys";
import type { OnceOptions } from "./options";
import { resolveOnceOptions } from "./resolve-options";
import { assertLockStore, lockStoreCaller } from "./store-caller";

/**
 * Forgets what `once` recorded for `key` — a stored result, or the mark of an attempt that never
 * finished (`status: "unknown"`) — so the next call runs the side effect again. An attempt still
 * holding its lease is not disturbed: its lock keeps others out and it records its result when done.
 *
 * After `unknown`, the earlier attempt may be dead or merely paused past its lease; clear only
 * once it can no longer take effect: its function reads `lock.signal` right before the side effect
 * (a resumed attempt then stands down), or the downstream call carries the `once` key as its
 * idempotency key, or its process is known to be gone. Finding nothing downstream is not enough
 * alone: a paused attempt may act after you looked.
 *
 * Resolves `true` if there was a record. Takes the `namespace` and `storeTimeoutMs` the calls used.
 */
export async function clearOnce(
  store: Store,
  key: string,
  options: Pick<OnceOptions, "namespace" | "storeTimeoutMs"> = {},
): Promise<boolean> {
  assertLockStore(store); // before any call: a wrong argument touches nothing
  assertName(key);
  assertOptions(options, "clearOnce(store, key, options?)");
  const { namespace, storeTimeoutMs } = resolveOnceOptions(key, options);
  const { record } = lockKeys(namespace, "once", key);
  return lockStoreCaller(store, storeTimeoutMs).delete(record);
}
