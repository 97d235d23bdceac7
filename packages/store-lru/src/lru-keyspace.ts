import type { LocalKeyspace, LocalValue } from "@mcp-persist/cache-core/kit";
import type { LRUCache } from "lru-cache";

/**
 * What this store holds: a string, a structured value a script keeps, or an integer a script
 * keeps as a number in its state (`writeInteger`: a rate-limit window), read as its digits.
 */
export type LruValue = LocalValue | number;

// Options passed on every read and write, one object each instead of a new one per call.
// lru-cache writes its diagnostics `status` into the object it is given: cleared after each call,
// so none is carried into the next.
const READ: LRUCache.GetOptions<string, LocalValue, unknown> = {};
const HAS: LRUCache.HasOptions<string, LocalValue, unknown> = {};
const EXPIRING: LRUCache.SetOptions<string, LocalValue, unknown> = {};
const KEEP_TTL: LRUCache.SetOptions<string, LocalValue, unknown> = { noUpdateTTL: true };

/** The entries' {@link LocalKeyspace} (what `set()` writes): an LRUCache whose entries carry their own absolute TTLs. */
export function lruKeyspace(lru: LRUCache<string, LocalValue>): LocalKeyspace {
  const has = (key: string): boolean => {
    const live = lru.has(key, HAS);
    HAS.status = undefined;
    return live;
  };
  return {
    read(key) {
      const value = lru.get(key, READ);
      READ.status = undefined;
      return value;
    },
    write(key, value, ttlMs, now) {
      // Without a TTL the entry keeps the one it has (Redis KEEPTTL); lru-cache gives a new
      // entry none, as Redis does. `now` is the cache's clock (its `perf`) as a script read it:
      // given as `start`, lru-cache does not read it again (undefined: it does).
      if (ttlMs === undefined) {
        lru.set(key, value, KEEP_TTL);
        KEEP_TTL.status = undefined;
      } else {
        EXPIRING.ttl = ttlMs;
        EXPIRING.start = now;
        lru.set(key, value, EXPIRING);
        EXPIRING.status = undefined;
      }
    },
    // has() is false for an expired entry that lru-cache has not purged yet: it was not "live".
    remove: (key) => has(key) && lru.delete(key),
    // Asked of the other part on every script write (where does the key live?): nearly always a miss.
    remainingTtl: (key) => (has(key) ? lru.getRemainingTTL(key) : undefined),
  };
}

/**
 * Size of an entry for `maxSizeBytes`: UTF-16 code units of key and value (bytes, for ASCII),
 * and a rough estimate for the structured values scripts keep (a Map standing for a sorted set).
 * An integer kept as a number counts as its decimal string would.
 */
export function entrySize(value: LruValue, key: string): number {
  if (typeof value === "string") return 1 + key.length + value.length;
  if (typeof value === "number") return 1 + key.length + digits(value);
  if (value instanceof Map || value instanceof Set) return 64 + key.length + 48 * value.size;
  if (Array.isArray(value)) return 64 + key.length + 16 * value.length;
  return 256 + key.length;
}

/** `String(value).length` for a safe integer, without making the string. */
function digits(value: number): number {
  let count = value < 0 ? 2 : 1;
  const magnitude = Math.abs(value);
  for (let power = 10; power <= magnitude; power *= 10) count++;
  return count;
}
