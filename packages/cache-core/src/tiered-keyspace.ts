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
  // The last key scripts found or put in the state part. It is not in the entries (a key lives in
  // one part), so a script writing it again (a counter read, then rewritten) need not look there.
  // Only a write through the entries view can put it there: that forgets it.
  let inState: string | undefined;
  const readState = (key: string, now?: number): LocalValue | undefined => {
    const value = state.read(key, now);
    if (value === undefined) return entries.read(key);
    inState = key;
    return value;
  };
  // Both, not ||: a key lives in one part, but removing from both costs nothing and stays right.
  const remove = (key: string): boolean => {
    const fromEntries = entries.remove(key);
    return state.remove(key) || fromEntries;
  };
  const remainingTtl = (key: string): number | undefined =>
    entries.remainingTtl(key) ?? state.remainingTtl(key);
  /** Removes `key` from `other` (where it no longer lives), with the TTL a KEEPTTL write carries over. */
  const moveFrom = (other: LocalKeyspace, key: string, ttlMs: number | undefined): number | undefined => {
    const left = other.remainingTtl(key);
    if (left === undefined) return ttlMs;
    other.remove(key);
    // KEEPTTL on a key that lived in the other part: it keeps the TTL it had there.
    return ttlMs === undefined && left !== Number.POSITIVE_INFINITY ? Math.max(left, 1) : ttlMs;
  };
  const writeEntry = (key: string, value: LocalValue, ttlMs?: number, now?: number): void => {
    inState = undefined;
    entries.write(key, value, moveFrom(state, key, ttlMs), now);
  };
  const writeState = (key: string, value: LocalValue, ttlMs?: number, now?: number): void => {
    state.write(key, value, key === inState ? ttlMs : moveFrom(entries, key, ttlMs), now);
    inState = key;
  };
  // Scripts' counters (a rate-limit window) go to the state part as numbers when it keeps them.
  const readStateInteger = (key: string, now?: number): LocalValue | number | undefined => {
    const value = state.readInteger === undefined ? state.read(key, now) : state.readInteger(key, now);
    if (value === undefined) return entries.read(key);
    inState = key;
    return value;
  };
  const writeStateInteger = (key: string, value: number, ttlMs?: number, now?: number): void => {
    const ttl = key === inState ? ttlMs : moveFrom(entries, key, ttlMs);
    if (state.writeInteger === undefined) state.write(key, String(value), ttl, now);
    else state.writeInteger(key, value, ttl, now);
    inState = key;
  };
  return {
    entries: { read, remove, remainingTtl, write: writeEntry },
    scripts: {
      read: readState,
      remove,
      remainingTtl,
      write: writeState,
      readInteger: readStateInteger,
      writeInteger: writeStateInteger,
    },
  };
}
