import type { Clock } from "./clock";
import { assertTtlMs } from "./ttl";

const PKG = "@mcp-persist/cache-core";

/**
 * A value in an in-process keyspace: a string (what `Store.get`/`set` see) or a structured value
 * a script keeps under a key it owns, where its Lua twin would use a Redis type such as a sorted
 * set. The two kinds never mix: reading one as the other fails like Redis' WRONGTYPE.
 */
export type LocalValue = string | object;

/**
 * The storage an in-process store hands to {@link createLocalContext}: a keyspace with lazy,
 * absolute expiry. Implement it once per backing structure (a Map, an LRUCache).
 */
export interface LocalKeyspace {
  /**
   * The live value, or `undefined` if missing or expired. With `now`, the clock's reading a script
   * took already (as for `write`), expiry is judged at that time, as Redis judges it at a
   * script's frozen time; without it, the keyspace reads its clock when it needs to.
   */
  read(key: string, now?: number): LocalValue | undefined;
  /**
   * Writes `value`. With `ttlMs`, the entry expires `ttlMs` from now, or from `now` when given: the
   * clock's reading (`clock.now()`, unrounded) a script took already, so the keyspace need not read
   * the clock again. Without `ttlMs`, it keeps the TTL it had (Redis KEEPTTL; whether it had one is
   * judged at `now` when given), and a new entry has none.
   */
  write(key: string, value: LocalValue, ttlMs?: number, now?: number): void;
  /** Removes the key; `true` if a live entry was removed. */
  remove(key: string): boolean;
  /** Milliseconds left for a live key, `Infinity` if it has no TTL, `undefined` if missing. */
  remainingTtl(key: string): number | undefined;
  /**
   * Optional, with `writeInteger`: what `read` returns, except that an integer `writeInteger`
   * wrote comes back as the number itself, with no string made and none to parse.
   */
  readInteger?(key: string, now?: number): LocalValue | number | undefined;
  /**
   * Optional, with `readInteger`: `write(key, String(value), ttlMs, now)` for a safe integer, where
   * the keyspace may keep the number and make its decimal string only when `read` asks for it.
   * A counter a script rewrites on every call (a rate-limit window) then costs no string at all.
   */
  writeInteger?(key: string, value: number, ttlMs?: number, now?: number): void;
}

/**
 * What a script's JS body can do: the Redis commands this project's Lua scripts use, on the
 * store's own keyspace. Each method names its Redis twin.
 */
export interface LocalContext {
  /** Whole epoch milliseconds from the store's clock (Lua: from `TIME`, seconds*1000 + µs/1000). */
  now(): number;
  /** TIME: `[seconds, microseconds]` of the store's clock, as whole numbers. */
  time(): [seconds: number, microseconds: number];
  /** GET: the string, or `undefined` when missing. */
  get(key: string): string | undefined;
  /** SET key value PX ttlMs. */
  set(key: string, value: string, ttlMs: number): void;
  /** DEL: `true` if the key existed. */
  delete(key: string): boolean;
  /** PTTL: `-2` when missing, `-1` without expiry, else whole milliseconds left. */
  pttl(key: string): number;
  /** PEXPIRE: `true` if the key exists (and now expires `ttlMs` from now). */
  pexpire(key: string, ttlMs: number): boolean;
  /**
   * INCRBY: adds `by` (default 1) to an integer string, creating it at 0. Keeps the key's TTL; a
   * new key has none, exactly like Redis, so follow with `pexpire` when `pttl` is `-1`.
   */
  incr(key: string, by?: number): number;
  /**
   * A structured value a script keeps under a key it owns (e.g. a `Map` standing in for a Redis
   * sorted set), or `undefined` when missing. The object is live: write it back with `setData`
   * to refresh its TTL.
   */
  getData<T extends object>(key: string): T | undefined;
  /** Stores a structured value for `ttlMs` milliseconds. */
  setData(key: string, value: object, ttlMs: number): void;
  /**
   * GET, for a key a script keeps an integer under: the number itself when it was last written
   * with `setInteger` (nothing to parse), else the string `get` returns, or `undefined`.
   * Optional: a context without it has `get`.
   */
  getInteger?(key: string): string | number | undefined;
  /**
   * SET key `value` PX ttlMs, `value` a safe integer written in decimal (Lua: `string.format('%d',
   * value)`): what `get` then returns. The keyspace may keep the number and make the string only
   * when it is read as one. Optional: a context without it has `set(key, String(value), ttlMs)`.
   */
  setInteger?(key: string, value: number, ttlMs: number): void;
}

/**
 * How `runLocalScript` runs a body on a context made by {@link createLocalContext}: with the
 * script's time frozen at its first reading (see there). Internal to cache-core.
 */
export const RUN_SCRIPT: unique symbol = Symbol("runScript");

/** A context that can run a script body with its time frozen. */
export interface ScriptRunningContext extends LocalContext {
  [RUN_SCRIPT]<R>(
    body: (ctx: LocalContext, keys: readonly string[], args: readonly string[]) => R,
    keys: readonly string[],
    args: readonly string[],
  ): R;
}

/** A Redis-style command failure inside a JS body; `runLocalScript` names the script. */
export class LocalCommandError extends Error {}

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INTEGER = "ERR value is not an integer or out of range";

/**
 * The reference {@link LocalContext}: Redis command semantics on any {@link LocalKeyspace}.
 * Every in-process store builds its context with this, so their scripts behave alike.
 */
export function createLocalContext(keyspace: LocalKeyspace, clock: Clock): LocalContext {
  // While a script runs (through runLocalScript), its time is read once and then frozen, as Redis
  // 7 freezes it for the expiries a script sets: every TTL counts from the script's time, and a
  // keyspace is handed that reading instead of reading the clock again on each write.
  let running = false;
  let at: number | undefined;
  const read = (): number => {
    if (!running) return clock.now();
    if (at === undefined) at = clock.now();
    return at;
  };
  const readString = (key: string): string | undefined => {
    const value = keyspace.read(key, at);
    if (value === undefined || typeof value === "string") return value;
    throw new LocalCommandError(WRONGTYPE);
  };
  const ctx: ScriptRunningContext = {
    // `this`: the context it is called on, which may be a copy of this one that overrides some commands.
    [RUN_SCRIPT](body, keys, args) {
      const wasRunning = running;
      const before = at;
      running = true;
      at = undefined;
      try {
        return body(this, keys, args);
      } finally {
        running = wasRunning;
        at = before;
      }
    },
    now: () => Math.floor(read()),
    time() {
      const ms = read();
      const seconds = Math.floor(ms / 1000);
      return [seconds, Math.floor((ms - seconds * 1000) * 1000)];
    },
    get: readString,
    set(key, value, ttlMs) {
      assertTtlMs(ttlMs, PKG);
      keyspace.write(key, value, ttlMs, at);
    },
    delete: (key) => keyspace.remove(key),
    pttl(key) {
      const left = keyspace.remainingTtl(key);
      if (left === undefined) return -2;
      return left === Number.POSITIVE_INFINITY ? -1 : Math.max(0, Math.ceil(left));
    },
    pexpire(key, ttlMs) {
      assertTtlMs(ttlMs, PKG);
      const value = keyspace.read(key, at);
      if (value === undefined) return false;
      keyspace.write(key, value, ttlMs, at);
      return true;
    },
    incr(key, by = 1) {
      const current = readString(key);
      // Redis accepts only canonical integers: no sign on zero, no leading zeros, no spaces.
      if (current !== undefined && !/^(0|-?[1-9]\d*)$/.test(current))
        throw new LocalCommandError(NOT_INTEGER);
      const base = current === undefined ? 0 : Number(current);
      const next = base + by;
      if (!Number.isSafeInteger(by) || !Number.isSafeInteger(next)) throw new LocalCommandError(NOT_INTEGER);
      // KEEPTTL, judged at the script's time like the read above: a key it found live keeps its TTL.
      keyspace.write(key, String(next), undefined, at);
      return next;
    },
    getData<T extends object>(key: string): T | undefined {
      const value = keyspace.read(key, at);
      if (value === undefined || typeof value === "object") return value as T | undefined;
      throw new LocalCommandError(WRONGTYPE);
    },
    setData(key, value, ttlMs) {
      assertTtlMs(ttlMs, PKG);
      if (typeof value !== "object" || value === null)
        throw new LocalCommandError("ERR setData takes an object");
      keyspace.write(key, value, ttlMs, at);
    },
    getInteger(key) {
      const value =
        keyspace.readInteger === undefined ? keyspace.read(key, at) : keyspace.readInteger(key, at);
      if (typeof value !== "object") return value;
      throw new LocalCommandError(WRONGTYPE);
    },
    setInteger(key, value, ttlMs) {
      assertTtlMs(ttlMs, PKG);
      if (!Number.isSafeInteger(value)) throw new LocalCommandError(NOT_INTEGER);
      if (keyspace.writeInteger === undefined) keyspace.write(key, String(value), ttlMs, at);
      else keyspace.writeInteger(key, value, ttlMs, at);
    },
  };
  return ctx;
}
