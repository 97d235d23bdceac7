import type { Clock } from "@mcp-persist/cache-core";
import type { LocalKeyspace, LocalValue } from "@mcp-persist/cache-core/kit";
import { type Recency, RecencyHeap } from "./recency-heap";

/**
 * What this store holds: a string, a structured value a script keeps, or an integer a script
 * keeps as a number in its state (`writeInteger`: a rate-limit window), read as its digits.
 */
export type LruValue = LocalValue | number;

interface StateEntry extends Recency {
  readonly key: string;
  /**
   * The value, or `undefined` when it is the integer in `integer`. An integer rewritten on every
   * check (a rate-limit counter) lives in a number-only field, which the engine updates in place:
   * kept in `value`, each write would box a new number on the heap, and the collector would have
   * to trace a young object from an old entry.
   */
  value: string | object | undefined;
  /** The integer kept, when `value` is `undefined`; else 0. */
  integer: number;
  /** Clock ms after which the entry is gone (`Infinity`: no TTL). Gone once the clock is past it, as in Redis. */
  expiresAt: number;
  /** {@link entrySize}, counted against `maxSizeBytes`. */
  size: number;
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
 * `Map` from key to entry, the entries in least-recently-used order (a read or a write makes a
 * key the newest; eviction takes the oldest), with absolute expiry and the bounds of
 * `maxStateKeys` and `maxSizeBytes`. The order is a {@link RecencyHeap}, not the Map's own:
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
  /** The entries' least-recently-used order: the oldest is the next to evict. */
  readonly #recency = new RecencyHeap<StateEntry>();
  /** The most recently used entry: a script's write finds the key it just read here. */
  #newest: StateEntry | undefined;
  /** An expired entry a script's read left for the write that follows it (see `#live`). */
  #leftForWrite: StateEntry | undefined;

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
    const entry = this.#live(key, undefined, false);
    return entry === undefined ? undefined : valueOf(entry);
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
    for (const entry of this.#recency.ordered()) {
      const { key, expiresAt } = entry;
      if (now <= expiresAt) live.push([key, { value: valueOf(entry), ttlMs: expiresAt - now }]);
    }
    return live;
  }

  /** Drops every key. */
  clear(): void {
    this.#leftForWrite = undefined;
    this.#entries.clear();
    this.#calculatedSize = 0;
    this.#recency.clear();
    this.#newest = undefined;
  }

  read(key: string, now?: number): string | object | undefined {
    const entry = this.#live(key, now, true);
    if (entry === undefined) return undefined;
    return entry.value === undefined ? String(entry.integer) : entry.value;
  }

  readInteger(key: string, now?: number): LruValue | undefined {
    const entry = this.#live(key, now, true);
    return entry === undefined ? undefined : valueOf(entry);
  }

  write(key: string, value: LruValue, ttlMs?: number, now?: number): void {
    this.#settle(key);
    if (typeof value === "number") this.#put(key, undefined, value, ttlMs, now);
    else this.#put(key, value, 0, ttlMs, now);
  }

  writeInteger(key: string, value: number, ttlMs?: number, now?: number): void {
    this.#settle(key);
    const entry = this.#newest;
    if (entry !== undefined && entry.key === key && ttlMs !== undefined && !this.#bounds.ttlAutopurge) {
      // A counter a script just read (it is the newest) rewritten with a TTL: what `#put` does for
      // it, in place, without its branches for new keys, KEEPTTL and purge timers.
      const size = entrySize(value, key);
      if (size <= this.#bounds.maxSize) {
        this.#rewrite(entry, undefined, value, (now ?? this.#clock.now()) + ttlMs, size);
        this.#evict();
        return;
      }
    }
    this.#put(key, undefined, value, ttlMs, now);
  }

  /** Writes `value`, or the integer `integer` when `value` is `undefined` (see {@link StateEntry}). */
  #put(key: string, value: string | object | undefined, integer: number, ttlMs?: number, now?: number): void {
    const size = entrySize(value ?? integer, key);
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
      const added: StateEntry = { key, value, integer, expiresAt, size, used: 0, queued: 0 };
      this.#entries.set(key, added);
      this.#recency.add(added);
      this.#newest = added;
      this.#calculatedSize += size;
    } else {
      this.#rewrite(entry, value, integer, expiresAt, size);
      this.#touch(entry);
    }
    this.#evict();
    if (this.#bounds.ttlAutopurge && expiresAt !== Number.POSITIVE_INFINITY) this.#purgeLater(key);
  }

  /** Gives `entry` a new value (the integer `integer` when `value` is `undefined`), expiry and size. */
  #rewrite(
    entry: StateEntry,
    value: string | object | undefined,
    integer: number,
    expiresAt: number,
    size: number,
  ): void {
    entry.value = value;
    entry.integer = integer;
    entry.expiresAt = expiresAt;
    this.#calculatedSize += size - entry.size;
    entry.size = size;
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

  /**
   * The entry under `key` unless missing or expired; `touch` (a script's read): made the most
   * recent. An expired entry is dropped, except after a script's read: a script that finds its key
   * expired nearly always writes it next (a rate-limit bucket that emptied, a lock whose lease
   * lapsed), and that write then rewrites the entry in place, where dropping it here made the write
   * add it back: a Map deletion and insertion, a new entry, the recency heap's removal and
   * insertion (GCRA in process, whose key expires between the checks of a caller under its limit:
   * about 0.75× → 0.80–0.96× `RateLimiterMemory`). It reads as missing meanwhile, and only the last
   * such entry is left: the next use of any other key drops it (`#settle`), so it never holds a
   * slot a live key would lose to eviction.
   */
  #live(key: string, now: number | undefined, touch: boolean): StateEntry | undefined {
    this.#settle(key);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // A key without TTL needs no clock; one with a TTL reads the script's reading when given.
    if (entry.expiresAt !== Number.POSITIVE_INFINITY && (now ?? this.#clock.now()) > entry.expiresAt) {
      if (touch) this.#leftForWrite = entry;
      else this.#drop(key);
      return undefined;
    }
    if (touch) this.#touch(entry);
    return entry;
  }

  /**
   * Before a use of `key`: drops the expired entry a script's read left for its write, unless it is
   * `key`'s own (that write, or another read of it, is this use).
   */
  #settle(key: string): void {
    const left = this.#leftForWrite;
    if (left === undefined) return;
    this.#leftForWrite = undefined;
    if (left.key !== key && this.#entries.get(left.key) === left) this.#drop(left.key);
  }

  /** Makes `entry` the most recently used. */
  #touch(entry: StateEntry): void {
    if (entry === this.#newest) return;
    this.#recency.touch(entry);
    this.#newest = entry;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#recency.remove(entry);
    if (entry === this.#newest) this.#newest = undefined;
    this.#calculatedSize -= entry.size;
  }

  /** Drops the least recently used keys until both bounds hold (the newest fits on its own: checked before). */
  #evict(): void {
    const { maxKeys, maxSize } = this.#bounds;
    while (this.#entries.size > maxKeys || this.#calculatedSize > maxSize) {
      this.#drop((this.#recency.oldest() as StateEntry).key);
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

/** An entry's value as kept: its integer as a number. */
function valueOf(entry: StateEntry): LruValue {
  return entry.value === undefined ? entry.integer : entry.value;
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

/**
 * `String(value).length` for a safe integer, without making the string: by comparisons, at most
 * four for the 16 digits a safe integer can have (a rate-limit counter, rewritten on every check,
 * has 9 to 15).
 */
function digits(value: number): number {
  if (value < 0) return 1 + digits(-value);
  if (value < 1e8) {
    if (value < 1e4) return value < 100 ? (value < 10 ? 1 : 2) : value < 1e3 ? 3 : 4;
    return value < 1e6 ? (value < 1e5 ? 5 : 6) : value < 1e7 ? 7 : 8;
  }
  if (value < 1e12) return value < 1e10 ? (value < 1e9 ? 9 : 10) : value < 1e11 ? 11 : 12;
  if (value < 1e16) return value < 1e14 ? (value < 1e13 ? 13 : 14) : value < 1e15 ? 15 : 16;
  return String(value).length; // not a safe integer: not a counter a script keeps
}
