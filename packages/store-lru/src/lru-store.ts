import {
  type Clock,
  createLocalStore,
  InvalidOptionError,
  type LocalValue,
  type Store,
  systemClock,
} from "@mcp-persist/cache-core";
import { LRUCache } from "lru-cache";
import { entrySize, lruKeyspace } from "./lru-keyspace";

const PKG = "@mcp-persist/store-lru";

/** Options of {@link lruStore}. */
export interface LruStoreOptions {
  /** Most entries kept; past it, the least recently used entry goes. @default 10_000 */
  max?: number;
  /**
   * Most total size kept, counted in UTF-16 code units of keys and values (bytes, for ASCII
   * text). A single entry larger than this is not stored (as if evicted at once).
   * @default 67_108_864 (64 MiB)
   */
  maxSizeBytes?: number;
  /**
   * Drop expired entries with a timer per entry instead of when they are next touched or
   * evicted. Frees memory sooner; costs a timer per entry.
   * @default false
   */
  ttlAutopurge?: boolean;
  /**
   * Time source for TTLs and for scripts' `ctx.now()`. Inject a manual clock in tests; it must
   * return positive times (lru-cache reads a start time of 0 as "no TTL").
   * @default systemClock
   */
  clock?: Clock;
  /** Store name in logs and errors. @default "lru" */
  name?: string;
}

/** An in-process {@link Store}, with the LRUCache it uses. */
export interface LruStore extends Store {
  /**
   * The underlying cache, for inspection (`size`, `calculatedSize`, `dump()`). Values are the
   * strings the store was given, or structured values scripts keep. Writing to it directly
   * bypasses TTL validation.
   */
  readonly lru: LRUCache<string, LocalValue>;
}

/**
 * The embedded default store: entries in this process's memory, on lru-cache, with absolute
 * TTLs (reads never extend them), a size bound, and scripts run atomically by their JS body.
 * A single-process MCP server needs nothing else.
 *
 * @throws {InvalidOptionError} for a `max` or `maxSizeBytes` that is not a positive integer.
 */
export function lruStore(options: LruStoreOptions = {}): LruStore {
  const max = positiveInteger("max", options.max ?? 10_000);
  const maxSize = positiveInteger("maxSizeBytes", options.maxSizeBytes ?? 67_108_864);
  const clock = options.clock ?? systemClock;
  const lru = new LRUCache<string, LocalValue>({
    max,
    maxSize,
    sizeCalculation: entrySize,
    updateAgeOnGet: false,
    updateAgeOnHas: false,
    allowStale: false,
    ttlAutopurge: options.ttlAutopurge ?? false,
    perf: clock,
    // lru-cache caches the time for 1 ms by default; an injected clock must be read every time,
    // or a test that moves it would see the old time.
    ttlResolution: options.clock === undefined ? 1 : 0,
  });
  const store = createLocalStore({
    name: options.name ?? "lru",
    package: PKG,
    keyspace: lruKeyspace(lru),
    clock,
    release: () => lru.clear(),
  });
  return Object.assign(store, { lru });
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidOptionError(PKG, `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
