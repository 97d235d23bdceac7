import type { Store } from "@mcp-persist/cache-core";
import { lockKeys } from "./keys";
import { type OnceOptions, resolveOnceOptions } from "./options";
import { bounded } from "./store-call";

/**
 * Forgets what `once` recorded for `key` — a stored result, or the mark of an attempt that never
 * finished (`status: "unknown"`) — so the next call runs the side effect again. Use it after
 * checking downstream that the unfinished attempt did not take effect. An attempt still running
 * is not disturbed: its lock keeps others out and it records its result when done.
 * Resolves `true` if there was a record. Takes the `namespace` and `storeTimeoutMs` the calls used.
 */
export async function clearOnce(
  store: Store,
  key: string,
  options: Pick<OnceOptions, "namespace" | "storeTimeoutMs"> = {},
): Promise<boolean> {
  const { namespace, storeTimeoutMs } = resolveOnceOptions(key, options);
  const { record } = lockKeys(namespace, "once", key);
  return bounded(() => store.delete(record), storeTimeoutMs, `store "${store.name}" delete`);
}
