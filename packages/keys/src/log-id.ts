import xxhash from "xxhash-wasm";
import { describeValue } from "./describe-value";
import { KeyError } from "./errors";

/** Maps a key to a short id that is safe to log: the key itself may hold user query terms. */
export type LogId = (key: string) => string;

let loading: Promise<LogId> | undefined;

/**
 * Loads xxhash64 (WebAssembly, ~10 ms once per process) and resolves to a synchronous
 * `logId(key)` giving 16 hex characters. xxhash is fast but not collision-resistant, which is
 * fine for correlating log lines and never used for cache keys. The function throws a `KeyError`
 * (`ERR_KEY_UNSUPPORTED_TYPE`) for a non-string key.
 */
export function loadLogId(): Promise<LogId> {
  loading ??= xxhash().then(({ h64ToString }) => (key: string) => {
    if (typeof key !== "string") {
      throw new KeyError("ERR_KEY_UNSUPPORTED_TYPE", `logId() takes a string key, got ${describeValue(key)}`);
    }
    return h64ToString(key);
  });
  return loading;
}

/** One-off convenience over {@link loadLogId}; prefer the loaded function on hot paths. */
export async function logId(key: string): Promise<string> {
  return (await loadLogId())(key);
}
