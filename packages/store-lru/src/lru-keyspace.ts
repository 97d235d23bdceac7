import type { LocalKeyspace, LocalValue } from "@mcp-persist/cache-core/kit";
import type { LRUCache } from "lru-cache";

/**
 * What an LRUCache of this store holds: a string, a structured value a script keeps, or an
 * integer a script keeps as a number (`writeInteger`: a rate-limit window), read as its digits.
 */
export type LruValue = LocalValue | number;

// Options passed on every read and write, one object each instead of a new one per call (the
// in-process rate-limit check makes four such calls). lru-cache writes its diagnostics `status`
// into the object it is given: cleared after each call, so none is carried into the next.
const READ: LRUCache.GetOptions<string, LruValue, unknown> = {};
const HAS: LRUCache.HasOptions<string, LruValue, unknown> = {};
const EXPIRING: LRUCache.SetOptions<string, LruValue, unknown> = {};
const KEEP_TTL: LRUCache.SetOptions<string, LruValue, unknown> = { noUpdateTTL: true };

/** A {@link LocalKeyspace} on an LRUCache whose entries carry their own absolute TTLs. */
export function lruKeyspace(lru: LRUCache<string, LocalValue> | LRUCache<string, LruValue>): LocalKeyspace {
  const { read, write, remove, remainingTtl } = lruStateKeyspace(lru as LRUCache<string, LruValue>);
  return { read, write, remove, remainingTtl };
}

/**
 * {@link lruKeyspace}, keeping the integers scripts write with `writeInteger` as numbers (the
 * store's script state: a rate-limit window is rewritten on every check, and a number costs no
 * string to write nor to parse back). `read` gives them as decimal strings, as Redis would.
 */
export function lruStateKeyspace(lru: LRUCache<string, LruValue>): Required<LocalKeyspace> {
  const get = (key: string): LruValue | undefined => {
    const value = lru.get(key, READ);
    READ.status = undefined;
    return value;
  };
  const has = (key: string): boolean => {
    const live = lru.has(key, HAS);
    HAS.status = undefined;
    return live;
  };
  const set = (key: string, value: LruValue, ttlMs?: number, now?: number): void => {
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
  };
  return {
    read(key) {
      const value = get(key);
      return typeof value === "number" ? String(value) : value;
    },
    write: set,
    readInteger: get,
    writeInteger: set,
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
