/**
 * A value in an in-process keyspace: a string (what `Store.get`/`set` see) or a structured value
 * a script keeps under a key it owns, where its Lua twin would use a Redis type such as a sorted
 * set. The two kinds never mix: reading one as the other fails like Redis' WRONGTYPE.
 */
export type LocalValue = string | object;

/**
 * The storage an in-process store hands to `createLocalContext`: a keyspace with lazy,
 * absolute expiry. Implement it once per backing structure (a Map, an LRUCache); `createLocalContext`
 * (keyspace-context.ts) gives it Redis command semantics.
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

/** A Redis-style command failure inside a JS body; `runLocalScript` names the script. */
export class LocalCommandError extends Error {}
