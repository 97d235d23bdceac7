import type { LocalKeyspace, LocalValue } from "./local-context";

/** The two views of one keyspace kept in two parts; see {@link tieredKeyspace}. */
export interface TieredKeyspace {
  /** What `Store.get/set/delete` use: writes land in `entries`. */
  readonly entries: LocalKeyspace;
  /** What scripts use (through their `LocalContext`): writes land in `state`. */
  readonly scripts: LocalKeyspace;
}

/**
 * One keyspace over two parts: `entries`, where `Store.set` writes (cache entries: many, cheap to
 * lose, bounded and evicted by the store's policy), and `state`, where scripts write (generation
 * counters, locks, rate-limit windows: few, and costly to lose — a lost generation counter reads
 * as a miss for every entry written under it, a lost lock as a second holder).
 *
 * Kept apart, churn through the entries never evicts the state. Reads look in both; each key
 * lives in one part, the one its last writer writes to, so both views agree with Redis on every
 * key, whoever wrote it last. A write that keeps the TTL (`incr`, KEEPTTL) carries it across.
 */
export function tieredKeyspace(entries: LocalKeyspace, state: LocalKeyspace): TieredKeyspace {
  // A key is live in one part at most, so either order finds it; each view looks first where its
  // own writes land (a script's keys are nearly always state), sparing a lookup that would miss.
  const read = (key: string): LocalValue | undefined => entries.read(key) ?? state.read(key);
  const readState = (key: string): LocalValue | undefined => state.read(key) ?? entries.read(key);
  // Both, not ||: a key lives in one part, but removing from both costs nothing and stays right.
  const remove = (key: string): boolean => {
    const fromEntries = entries.remove(key);
    return state.remove(key) || fromEntries;
  };
  const remainingTtl = (key: string): number | undefined =>
    entries.remainingTtl(key) ?? state.remainingTtl(key);
  const writeTo =
    (into: LocalKeyspace, other: LocalKeyspace) =>
    (key: string, value: LocalValue, ttlMs?: number, now?: number): void => {
      const left = other.remainingTtl(key);
      if (left !== undefined) {
        other.remove(key);
        // KEEPTTL on a key that lived in the other part: it keeps the TTL it had there.
        if (ttlMs === undefined && left !== Number.POSITIVE_INFINITY) ttlMs = Math.max(left, 1);
      }
      into.write(key, value, ttlMs, now);
    };
  return {
    entries: { read, remove, remainingTtl, write: writeTo(entries, state) },
    scripts: { read: readState, remove, remainingTtl, write: writeTo(state, entries) },
  };
}
