import xxhash from "xxhash-wasm";

/** Maps a key to a short id that is safe to log: the key itself may hold user query terms. */
export type LogId = (key: string) => string;

let loading: Promise<LogId> | undefined;

/**
 * Loads xxhash64 (WebAssembly, ~10 ms once per process) and resolves to a synchronous
 * `logId(key)` giving 16 hex characters. xxhash is fast but not collision-resistant, which is
 * fine for correlating log lines and never used for cache keys.
 */
export function loadLogId(): Promise<LogId> {
  loading ??= xxhash().then(
    ({ h64ToString }) =>
      (key: string) =>
        h64ToString(key),
  );
  return loading;
}

/** One-off convenience over {@link loadLogId}; prefer the loaded function on hot paths. */
export async function logId(key: string): Promise<string> {
  return (await loadLogId())(key);
}
