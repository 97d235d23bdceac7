import type { LocalKeyspace, LocalValue } from "@mcp-persist/cache-core/kit";
import type { LRUCache } from "lru-cache";

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
