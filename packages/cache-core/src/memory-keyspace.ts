import type { Clock } from "./clock";
import type { LocalKeyspace, LocalValue } from "./local-context";

interface Entry {
  value: LocalValue;
  /** Epoch ms after which the entry is gone; `Infinity` when it has no TTL. */
  expiresAt: number;
}

/**
 * A {@link LocalKeyspace} on a plain `Map`, unbounded, expiring lazily on access. It is the
 * reference the conformance kit runs JS bodies against; stores bring their own bounded keyspace.
 */
export function memoryKeyspace(clock: Clock): LocalKeyspace {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    // Expired once the clock is past the deadline, the way Redis and lru-cache decide it.
    if (clock.now() > entry.expiresAt) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    read: (key) => live(key)?.value,
    write(key, value, ttlMs, now) {
      const expiresAt =
        ttlMs === undefined
          ? (live(key)?.expiresAt ?? Number.POSITIVE_INFINITY)
          : (now ?? clock.now()) + ttlMs;
      entries.set(key, { value, expiresAt });
    },
    remove: (key) => live(key) !== undefined && entries.delete(key),
    remainingTtl(key) {
      const entry = live(key);
      return entry === undefined ? undefined : entry.expiresAt - clock.now();
    },
  };
}
