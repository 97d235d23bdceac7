import type { CacheKey } from "./cache-key";
import type { WrapOptions } from "./cache-options";
import type { Telemetry } from "./telemetry";

/** One call to make at start-up (the guides' cache warming). */
export interface WarmEntry {
  key: CacheKey;
  fn: () => unknown;
  options?: WrapOptions<unknown>;
}

/** What `warm()` did. */
export interface WarmResult {
  /** Entries whose call completed (served from the cache, or computed and offered to the store). */
  warmed: number;
  /** Entries whose `fn` threw; each is logged as a warning. */
  failed: number;
}

interface Wrapper {
  wrap<T>(key: CacheKey, fn: () => T | Promise<T>, options?: WrapOptions<T>): Promise<T>;
}

/** Runs the entries through `wrap`, `concurrency` at a time, so a cold upstream is not stampeded. */
export async function warmEntries(
  cache: Wrapper,
  entries: Iterable<WarmEntry>,
  concurrency: number,
  telemetry: Telemetry,
): Promise<WarmResult> {
  const list = Array.from(entries);
  const result = { warmed: 0, failed: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const entry = list[next++] as WarmEntry;
      try {
        await cache.wrap(entry.key, entry.fn, entry.options);
        result.warmed++;
      } catch (error) {
        result.failed++;
        telemetry.warn("cache_warm_failed", { err: error }, "cache warm-up call failed");
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, list.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return result;
}
