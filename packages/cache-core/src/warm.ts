import { describeValue } from "@mcp-persist/keys";
import type { CacheKey } from "./cache-key";
import type { WrapOptions } from "./cache-options";
import { InvalidOptionError } from "./errors";
import type { Telemetry } from "./telemetry";

const PKG = "@mcp-persist/cache-core";

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

/**
 * The entries as a list, or `undefined` (logged) when they are not iterable or their iteration
 * throws: warming is an optimisation at start-up, and `warm` never rejects.
 */
function listEntries(entries: unknown, telemetry: Telemetry): unknown[] | undefined {
  let failure: unknown;
  try {
    const iterable =
      typeof (entries as Iterable<unknown> | null | undefined)?.[Symbol.iterator] === "function";
    if (iterable) return Array.from(entries as Iterable<unknown>);
    failure = new InvalidOptionError(
      PKG,
      `warm() takes an iterable of { key, fn, options? } entries (e.g. an array), got ${describeValue(entries)}`,
    );
  } catch (error) {
    failure = error; // the caller's iterator threw
  }
  telemetry.warn(
    "cache_warm_failed",
    { err: failure },
    "cache warm-up could not read its entries; warmed nothing",
  );
  return undefined;
}

/** Runs the entries through `wrap`, `concurrency` at a time, so a cold upstream is not stampeded. */
export async function warmEntries(
  cache: Wrapper,
  entries: Iterable<WarmEntry>,
  concurrency: number,
  telemetry: Telemetry,
): Promise<WarmResult> {
  const result = { warmed: 0, failed: 0 };
  const list = listEntries(entries, telemetry);
  if (list === undefined) return result;
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
  // Only a number counts: Math.floor of a Symbol or a BigInt would throw.
  const wanted = typeof concurrency === "number" ? Math.floor(concurrency) : Number.NaN;
  const workers = Math.max(1, Math.min(wanted || 1, list.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return result;
}
