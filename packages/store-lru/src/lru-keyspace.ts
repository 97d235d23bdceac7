import type { LocalKeyspace, LocalValue } from "@mcp-persist/cache-core/kit";
import type { LRUCache } from "lru-cache";

/** A {@link LocalKeyspace} on an LRUCache whose entries carry their own absolute TTLs. */
export function lruKeyspace(lru: LRUCache<string, LocalValue>): LocalKeyspace {
  return {
    read: (key) => lru.get(key),
    write(key, value, ttlMs, now) {
      // Without a TTL the entry keeps the one it has (Redis KEEPTTL); lru-cache gives a new
      // entry none, as Redis does. `now` is the cache's clock (its `perf`) as a script read it:
      // given as `start`, lru-cache does not read it again (undefined: it does).
      if (ttlMs === undefined) lru.set(key, value, { noUpdateTTL: true });
      else lru.set(key, value, { ttl: ttlMs, start: now });
    },
    // has() is false for an expired entry that lru-cache has not purged yet: it was not "live".
    remove: (key) => lru.has(key) && lru.delete(key),
    remainingTtl: (key) => (lru.has(key) ? lru.getRemainingTTL(key) : undefined),
  };
}

/**
 * Size of an entry for `maxSizeBytes`: UTF-16 code units of key and value (bytes, for ASCII),
 * and a rough estimate for the structured values scripts keep (a Map standing for a sorted set).
 */
export function entrySize(value: LocalValue, key: string): number {
  if (typeof value === "string") return 1 + key.length + value.length;
  if (value instanceof Map || value instanceof Set) return 64 + key.length + 48 * value.size;
  if (Array.isArray(value)) return 64 + key.length + 16 * value.length;
  return 256 + key.length;
}
