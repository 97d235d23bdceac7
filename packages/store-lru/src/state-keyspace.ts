import type { Clock } from "@mcp-persist/cache-core";
import type { LocalKeyspace } from "@mcp-persist/cache-core/kit";
import { entrySize, type LruValue } from "./lru-keyspace";

interface StateEntry {
  readonly key: string;
  value: LruValue;
  /** Clock ms after which the entry is gone (`Infinity`: no TTL). Gone once the clock is past it, as in Redis. */
  expiresAt: number;
  /** {@link entrySize}, counted against `maxSizeBytes`. */
  size: number;
  /** The next less recently used entry (toward `#oldest`). */
  older: StateEntry | undefined;
  /** The next more recently used entry (toward `#newest`). */
  newer: StateEntry | undefined;
}

/** Bounds of a {@link StateKeyspace}. */
export interface StateBounds {
  /** Most keys kept; past it, the least recently used goes. */
  maxKeys: number;
  /** Most total {@link entrySize}; an entry larger than this is not kept (its key is removed). */
  maxSize: number;
  /** Drop each expired key with a timer of its own instead of when next touched or evicted. */
  ttlAutopurge: boolean;
}

/**
 * Where an lruStore keeps what scripts write (generation counters, locks, rate-limit windows): a
 * `Map` from key to entry, the entries linked in least-recently-used order (a read or a write
 * makes a key the newest; eviction takes the oldest), with absolute expiry and the bounds of
 * `maxStateKeys` and `maxSizeBytes`. The order is a list through the entries, not the Map's own:
 * moving a key by delete and set would leave a deleted slot in its hash chain each time, and a
 * key used on every call (a per-tool limit) would make its own lookups slower and slower.
 *
 * Built for the in-process rate-limit check, which reads and rewrites a counter on every call:
 * a read given the script's clock reading (`now`) reads no clock, and the write that follows finds
 * the entry as the newest, with no second lookup, and updates it in place. An integer written
 * with `writeInteger` stays a number (no string made, none parsed back); `read` gives its
 * decimal string, as Redis would.
 *
 * It is also `store.state`, for inspection: `size`, `calculatedSize`, `get`, `has`, `keys()`,
 * `dump()`. Those never refresh a key's recency.
 */
export class StateKeyspace implements Required<LocalKeyspace> {
  readonly #entries = new Map<string, StateEntry>();
  readonly #bounds: StateBounds;
  readonly #clock: Clock;
  #calculatedSize = 0;
  /** The least recently used entry: the next to evict. */
  #oldest: StateEntry | undefined;
  /** The most recently used entry. */
  #newest: StateEntry | undefined;

  constructor(bounds: StateBounds, clock: Clock) {
    this.#bounds = bounds;
    this.#clock = clock;
  }

  /** Keys held, expired ones not yet dropped included (as `LRUCache.size` counts them). */
  get size(): number {
    return this.#entries.size;
  }

  /** Total {@link entrySize} of the keys held: what `maxSizeBytes` bounds. */
  get calculatedSize(): number {
    return this.#calculatedSize;
  }

  /** The live value under `key` as kept (an integer a script keeps as a number is a number); no recency change. */
  get(key: string): LruValue | undefined {
    return this.#live(key, undefined, false)?.value;
  }

  /** Whether `key` is held and not expired; no recency change. */
  has(key: string): boolean {
    return this.#live(key, undefined, false) !== undefined;
  }

  /** Live keys, least recently used first. */
  keys(): string[] {
    return this.dump().map(([key]) => key);
  }

  /** Live keys, least recently used first, with their value as kept and the ms left (`Infinity`: no TTL). */
  dump(): [key: string, entry: { value: LruValue; ttlMs: number }][] {
    const now = this.#clock.now();
    const live: [string, { value: LruValue; ttlMs: number }][] = [];
    for (let entry = this.#oldest; entry !== undefined; entry = entry.newer) {
      const { key, value, expiresAt } = entry;
      if (now <= expiresAt) live.push([key, { value, ttlMs: expiresAt - now }]);
    }
    return live;
  }

  /** Drops every key. */
  clear(): void {
    this.#entries.clear();
    this.#calculatedSize = 0;
    this.#oldest = undefined;
    this.#newest = undefined;
  }

  read(key: string, now?: number): string | object | undefined {
    const value = this.#live(key, now, true)?.value;
    return typeof value === "number" ? String(value) : value;
  }

  readInteger(key: string, now?: number): LruValue | undefined {
    return this.#live(key, now, true)?.value;
  }

  write(key: string, value: LruValue, ttlMs?: number, now?: number): void {
    const size = entrySize(value, key);
    if (size > this.#bounds.maxSize) {
      // Too large to keep at all: as lru-cache does, the key goes rather than keep an older value.
      this.#drop(key);
      return;
    }
    // The entry a script just read is the newest: no second lookup for its write.
    const newest = this.#newest;
    const entry = newest !== undefined && newest.key === key ? newest : this.#entries.get(key);
    let expiresAt: number;
    if (ttlMs !== undefined) expiresAt = (now ?? this.#clock.now()) + ttlMs;
    else if (entry !== undefined && (now ?? this.#clock.now()) <= entry.expiresAt)
      expiresAt = entry.expiresAt;
    else expiresAt = Number.POSITIVE_INFINITY; // KEEPTTL on a new (or expired) key: none, as in Redis
    if (entry === undefined) {
      const added: StateEntry = { key, value, expiresAt, size, older: undefined, newer: undefined };
      this.#entries.set(key, added);
      this.#link(added);
    } else {
      entry.value = value;
      entry.expiresAt = expiresAt;
      this.#calculatedSize -= entry.size;
      entry.size = size;
      this.#touch(entry);
    }
    this.#calculatedSize += size;
    this.#evict();
    if (this.#bounds.ttlAutopurge && expiresAt !== Number.POSITIVE_INFINITY) this.#purgeLater(key);
  }

  writeInteger(key: string, value: number, ttlMs?: number, now?: number): void {
    this.write(key, value, ttlMs, now);
  }

  remove(key: string): boolean {
    if (this.#live(key, undefined, false) === undefined) return false;
    this.#drop(key);
    return true;
  }

  remainingTtl(key: string): number | undefined {
    const entry = this.#live(key, undefined, false);
    return entry === undefined ? undefined : entry.expiresAt - this.#clock.now();
  }

  /** The entry under `key` unless missing or expired (then dropped); `touch`: made the most recent. */
  #live(key: string, now: number | undefined, touch: boolean): StateEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // A key without TTL needs no clock; one with a TTL reads the script's reading when given.
    if (entry.expiresAt !== Number.POSITIVE_INFINITY && (now ?? this.#clock.now()) > entry.expiresAt) {
      this.#drop(key);
      return undefined;
    }
    if (touch) this.#touch(entry);
    return entry;
  }

  /** Makes `entry` the most recently used. */
  #touch(entry: StateEntry): void {
    if (entry === this.#newest) return;
    this.#unlink(entry);
    this.#link(entry);
  }

  /** Puts `entry`, in no list, at the newest end. */
  #link(entry: StateEntry): void {
    const newest = this.#newest;
    entry.older = newest;
    entry.newer = undefined;
    if (newest === undefined) this.#oldest = entry;
    else newest.newer = entry;
    this.#newest = entry;
  }

  #unlink(entry: StateEntry): void {
    const { older, newer } = entry;
    if (older === undefined) this.#oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.#newest = older;
    else newer.older = older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#unlink(entry);
    this.#calculatedSize -= entry.size;
  }

  /** Drops the least recently used keys until both bounds hold (the newest fits on its own: checked before). */
  #evict(): void {
    const { maxKeys, maxSize } = this.#bounds;
    while (this.#entries.size > maxKeys || this.#calculatedSize > maxSize) {
      this.#drop((this.#oldest as StateEntry).key);
    }
  }

  #purgeLater(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    const delay = Math.max(0, Math.ceil(entry.expiresAt - this.#clock.now())) + 1;
    // Unref'd: a pending purge never keeps the process alive. It drops the key only if it is the
    // same entry and expired by then (a later write may have given it a longer TTL).
    setTimeout(() => {
      if (this.#entries.get(key) === entry) this.#live(key, undefined, false);
    }, delay).unref();
  }
}
