import {
  type Clock,
  InvalidOptionError,
  type Store,
  type StoreBus,
  systemClock,
} from "@mcp-persist/cache-core";
import {
  assertClock,
  createLocalStore,
  describeValue,
  given,
  type LocalValue,
} from "@mcp-persist/cache-core/kit";
import { booleanCheck, knownOptions, optionNames } from "@mcp-persist/internal";
import { LRUCache } from "lru-cache";
import { lruKeyspace } from "./lru-keyspace";
import { entrySize, StateKeyspace } from "./state-keyspace";

const PKG = "@mcp-persist/store-lru";

const invalid = (message: string) => new InvalidOptionError(PKG, message);
const checkBoolean = booleanCheck(invalid, describeValue);

/** Options of {@link lruStore}. */
export interface LruStoreOptions {
  /** Most entries (what `set()` writes) kept; past it, the least recently used entry goes. @default 10_000 */
  max?: number;
  /**
   * Most total size of entries kept, counted in UTF-16 code units of keys and values (bytes, for
   * ASCII text). A single entry larger than this is not stored (as if evicted at once). Script
   * state has the same bound, on its own.
   * @default 67_108_864 (64 MiB)
   */
  maxSizeBytes?: number;
  /**
   * Most keys scripts keep: generation counters, locks, rate-limit windows. They live apart from
   * the entries `set()` writes, so entry churn never evicts them; past this bound the least
   * recently used of them goes (a caller scope's generation counter, say, costing a miss on that
   * caller's entries only). Their size counts against a `maxSizeBytes` of their own.
   * @default 100_000
   */
  maxStateKeys?: number;
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

// A misspelt option (`maxSize`) would otherwise fall back to its default without a word.
const optionNamesCheck = knownOptions(
  invalid,
  optionNames<LruStoreOptions>({
    max: true,
    maxSizeBytes: true,
    maxStateKeys: true,
    ttlAutopurge: true,
    clock: true,
    name: true,
  }),
);

/** An in-process {@link Store}, with the LRUCaches it uses. */
export interface LruStore extends Store {
  /**
   * The entries `set()` wrote, for inspection (`size`, `calculatedSize`, `dump()`). Writing to
   * it directly bypasses TTL validation.
   */
  readonly lru: LRUCache<string, LocalValue>;
  /**
   * The keys scripts wrote (strings, or structured values such as a `Map` for a sorted set),
   * kept apart from the entries so that entry churn never evicts them, for inspection (`size`,
   * `calculatedSize`, `get`, `has`, `keys()`, `dump()`; none of them refreshes a key's recency).
   * A counter a script keeps as an integer (a rate-limit window) is held as a number here; the
   * store reads it as its decimal string, as Redis would.
   */
  readonly state: StateKeyspace;
  /** The clock given (else `systemClock`): what scripts read (`ctx.now()`) and TTLs count by. */
  readonly clock: Clock;
  /**
   * Messages to this store's own subscribers, delivered in a microtask (no other process shares
   * an in-process store). The same interface as the Redis stores' bus, so code written for one
   * runs on the other.
   */
  readonly bus: StoreBus;
}

/**
 * The embedded default store: entries in this process's memory, on lru-cache, with absolute
 * TTLs (reads never extend them), a size bound, and scripts run atomically by their JS body.
 * A single-process MCP server needs nothing else.
 *
 * @throws {InvalidOptionError} for options that are not an object, an unknown option name, a `max`, `maxStateKeys` or
 *   `maxSizeBytes` that is not a positive integer, a `clock` without `now()`, a `ttlAutopurge`
 *   that is not a boolean, or an empty `name`.
 */
export function lruStore(options: LruStoreOptions = {}): LruStore {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError(PKG, `lruStore() takes an options object, got ${describeValue(options)}`);
  }
  optionNamesCheck(options);
  // Only `undefined` takes a default (`given`): `null` is refused like any other wrong value.
  const max = positiveInteger("max", given(options.max, 10_000));
  const maxStateKeys = positiveInteger("maxStateKeys", given(options.maxStateKeys, 100_000));
  const maxSize = positiveInteger("maxSizeBytes", given(options.maxSizeBytes, 67_108_864));
  const ttlAutopurge = checkBoolean("ttlAutopurge", given(options.ttlAutopurge, false));
  const name = nonEmptyString("name", given(options.name, "lru"));
  const clock = given<unknown>(options.clock, systemClock);
  assertClock(clock, PKG);
  const lru = new LRUCache<string, LocalValue>({
    max,
    maxSize,
    sizeCalculation: entrySize,
    updateAgeOnGet: false,
    updateAgeOnHas: false,
    allowStale: false,
    ttlAutopurge,
    perf: clock,
    // lru-cache caches the time for 1 ms by default; an injected clock must be read every time,
    // or a test that moves it would see the old time.
    ttlResolution: options.clock === undefined ? 1 : 0,
  });
  // Script state in a keyspace of its own: a burst of new entries must not evict the generation
  // counters every entry depends on (that would read as a miss for all of them), nor a lock.
  const state = new StateKeyspace({ maxKeys: maxStateKeys, maxSize, ttlAutopurge }, clock);
  const store = createLocalStore({
    name,
    package: PKG,
    keyspace: lruKeyspace(lru),
    state,
    clock,
    release: () => {
      lru.clear();
      state.clear();
    },
  });
  return Object.assign(store, { lru, state });
}

function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidOptionError(PKG, `${name} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidOptionError(PKG, `${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}
