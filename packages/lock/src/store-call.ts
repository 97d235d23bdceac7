import {
  type Script,
  type ScriptArg,
  type ScriptReply,
  type Store,
  StoreTimeoutError,
  withDeadline,
} from "@mcp-persist/cache-core";
import { PKG } from "./errors";

const GAVE_UP =
  "the lock gave up on it (raise storeTimeoutMs, or the store's own timeoutMs, if the store is slow but healthy)";

/**
 * Settles like `start()`, within `timeoutMs`: a client's own retry and reconnect defaults (tens of
 * seconds with ioredis) must not decide how long a tool call hangs.
 *
 * A store that settles every call within `timeoutMs` by itself (`capabilities.deadlineMs`: the
 * Redis stores, 250 ms by default) gets no second timer, as with the cache: its deadline fires
 * first anyway, and it tells a slow server from a busy event loop. Any other store gets
 * `withDeadline`, which rejects with a `StoreTimeoutError` (code `ERR_STORE_TIMEOUT`, as the
 * stores' own). `onLate` receives a result that arrives after this deadline gave up.
 */
export function bounded<R>(
  store: Store,
  start: () => Promise<R>,
  timeoutMs: number,
  operation: string,
  onLate?: (value: R) => void,
): Promise<R> {
  let call: Promise<R>;
  try {
    call = start();
  } catch (error) {
    // A store that throws synchronously fails like one that rejects.
    return Promise.reject(error);
  }
  const own = store.capabilities?.deadlineMs;
  if (own !== undefined && own <= timeoutMs) return call;
  const timeout = () => new StoreTimeoutError(PKG, operation, timeoutMs, GAVE_UP);
  return withDeadline(call, timeoutMs, timeout, onLate);
}

/**
 * Runs a script within the store deadline (see {@link bounded}). `onLate` gets its reply if the
 * script runs after the call gave up — whichever deadline gave up, the store's (`onLateReply`) or
 * this one — to give back what it took: a lock granted then is held by nobody.
 */
export function runBounded<R extends ScriptReply>(
  store: Store,
  script: Script<R>,
  keys: readonly string[],
  args: readonly ScriptArg[],
  timeoutMs: number,
  onLate?: (reply: R) => void,
): Promise<R> {
  const options = onLate === undefined ? undefined : { onLateReply: onLate };
  return bounded(store, () => store.run(script, keys, args, options), timeoutMs, script.name, onLate);
}
