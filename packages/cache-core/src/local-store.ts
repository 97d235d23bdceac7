import type { StoreBus } from "./bus";
import type { Clock } from "./clock";
import { InvalidOptionError, StoreClosedError, WrongTypeError } from "./errors";
import { KeyspaceContext } from "./keyspace-context";
import { createLocalBus } from "./local-bus";
import type { LocalKeyspace, LocalValue } from "./local-context";
import type { Store, StoreCapabilities } from "./store";
import { assertTtlMs } from "./ttl";

/** What {@link createLocalStore} needs from an in-process store. */
export interface LocalStoreParts {
  /** Store name for logs and errors, e.g. `lru`. */
  name: string;
  /** The store's npm package, named in its errors, e.g. `@mcp-persist/store-lru`. */
  package: string;
  /** Where entries live. */
  keyspace: LocalKeyspace;
  /**
   * Where keys written by scripts live (generation counters, locks, rate-limit windows), apart
   * from `keyspace`, so that evicting entries never drops them. Give it a bound of its own.
   * Reads and deletes see both as one keyspace (see `tieredKeyspace` below).
   * @default keyspace (one keyspace for everything: what it evicts, it evicts from both)
   */
  state?: LocalKeyspace;
  /** The clock scripts read (`ctx.now()`); must be the one the keyspace expires entries by. */
  clock: Clock;
  /** Releases the keyspace; runs once, on the first `close()`. */
  release?: () => void;
}

/**
 * `deadlineMs: 0`: every `get`/`set`/`delete`/`run` does its work before it returns, so its promise
 * is settled by then; a capability's `storeTimeoutMs` timer could never fire first, and costs each
 * call a timer armed and cleared (about a tenth of an in-process `withLock`).
 */
const LOCAL: StoreCapabilities = Object.freeze({ shared: false, cluster: false, deadlineMs: 0 });

/**
 * Builds the whole {@link Store} contract over a {@link LocalKeyspace}: TTL checks, atomic
 * scripts run by the reference context (`KeyspaceContext`), a same-process `bus`, `close()`
 * semantics. In-process stores differ only in their keyspace, so they are written once, here.
 */
export function createLocalStore(
  parts: LocalStoreParts,
): Store & { readonly bus: StoreBus; readonly clock: Clock } {
  const { name } = parts;
  const pkg = parts.package;
  const { entries: keyspace, scripts } =
    parts.state === undefined
      ? { entries: parts.keyspace, scripts: parts.keyspace }
      : tieredKeyspace(parts.keyspace, parts.state);
  const ctx = new KeyspaceContext(scripts, parts.clock);
  let closed = false;
  const ensureOpen = (operation: string): void => {
    if (closed) throw new StoreClosedError(pkg, name, operation);
  };
  const local = createLocalBus(pkg, ensureOpen);
  const getSync = (key: string): string | undefined => {
    ensureOpen("get");
    const value = keyspace.read(key);
    if (typeof value === "object") throw new WrongTypeError(pkg, "get");
    return value;
  };
  const runSync: NonNullable<Store["runSync"]> = (script, keys, args) => {
    ensureOpen("run");
    return ctx.run(script, keys, args);
  };
  return {
    name,
    capabilities: LOCAL,
    getSync,
    runSync,
    clock: parts.clock,
    bus: local.bus,
    async get(key) {
      return getSync(key);
    },
    async set(key, value, ttlMs) {
      ensureOpen("set");
      assertTtlMs(ttlMs, pkg);
      if (typeof value !== "string") {
        throw new InvalidOptionError(
          pkg,
          `set() takes a string value (encode it first), got ${typeof value}`,
        );
      }
      keyspace.write(key, value, Math.ceil(ttlMs));
    },
    async delete(key) {
      ensureOpen("delete");
      return keyspace.remove(key);
    },
    async run(script, keys, args) {
      return runSync(script, keys, args);
    },
    async ping() {
      ensureOpen("ping");
      // In process there is no round trip to measure.
      return 0;
    },
    async close() {
      // Every operation runs to completion synchronously, so there is nothing left to drain.
      if (closed) return;
      closed = true;
      local.close();
      parts.release?.();
    },
  };
}

/** The two views of one keyspace kept in two parts; see {@link tieredKeyspace}. */
interface TieredKeyspace {
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
function tieredKeyspace(entries: LocalKeyspace, state: LocalKeyspace): TieredKeyspace {
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
