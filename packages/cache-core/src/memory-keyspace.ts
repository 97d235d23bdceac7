import type { Clock } from "./clock";
import type { LocalKeyspace, LocalValue } from "./local-context";

interface Entry {
  /** A number: an integer `writeInteger` wrote, read as its decimal string. */
  value: LocalValue | number;
  /** Epoch ms after which the entry is gone; `Infinity` when it has no TTL. */
  expiresAt: number;
}

/**
 * A {@link LocalKeyspace} on a plain `Map`, unbounded, expiring lazily on access. It is the
 * reference the conformance kit runs JS bodies against; stores bring their own bounded keyspace.
 */
export function memoryKeyspace(clock: Clock): LocalKeyspace {
  const entries = new Map<string, Entry>();
  const live = (key: string, now?: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    // Expired once the clock (or the script's reading of it, `now`) is past the deadline, the way
    // Redis and lru-cache decide it.
    if ((now ?? clock.now()) > entry.expiresAt) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const write = (key: string, value: LocalValue | number, ttlMs?: number, now?: number): void => {
    const expiresAt =
      ttlMs === undefined
        ? (live(key, now)?.expiresAt ?? Number.POSITIVE_INFINITY)
        : (now ?? clock.now()) + ttlMs;
    entries.set(key, { value, expiresAt });
  };
  return {
    read(key, now) {
      const value = live(key, now)?.value;
      return typeof value === "number" ? String(value) : value;
    },
    write,
    // Kept as numbers, as lruStore keeps them, so that the parity tests run the same path.
    readInteger: (key, now) => live(key, now)?.value,
    writeInteger: write,
    remove: (key) => live(key) !== undefined && entries.delete(key),
    remainingTtl(key) {
      const entry = live(key);
      return entry === undefined ? undefined : entry.expiresAt - clock.now();
    },
  };
}
