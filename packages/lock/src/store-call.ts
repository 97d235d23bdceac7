import {
  type Script,
  type ScriptArg,
  type ScriptReply,
  type Store,
  withDeadline,
} from "@mcp-persist/cache-core";

/**
 * Settles like `start()`, or rejects with a `TimeoutError` DOMException after `timeoutMs`: a
 * client's own retry and reconnect defaults (tens of seconds with ioredis) must not decide how
 * long a tool call hangs. The store call itself cannot be cancelled, so `onLate` receives its
 * value if it still arrives (to undo a late acquisition).
 */
export function bounded<R>(
  start: () => Promise<R>,
  timeoutMs: number,
  what: string,
  onLate?: (value: R) => void,
): Promise<R> {
  let call: Promise<R>;
  try {
    call = start();
  } catch (error) {
    // A client that throws synchronously fails like one that rejects.
    call = Promise.reject(error);
  }
  const timeout = () => new DOMException(`${what} did not answer within ${timeoutMs} ms`, "TimeoutError");
  return withDeadline(call, timeoutMs, timeout, onLate);
}

/** Runs a script within the store deadline; see {@link bounded}. */
export function runBounded<R extends ScriptReply>(
  store: Store,
  script: Script<R>,
  keys: readonly string[],
  args: readonly ScriptArg[],
  timeoutMs: number,
  onLate?: (reply: R) => void,
): Promise<R> {
  return bounded(
    () => store.run(script, keys, args),
    timeoutMs,
    `store "${store.name}" ${script.name}`,
    onLate,
  );
}
