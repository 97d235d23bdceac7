import { describeValue } from "@mcp-persist/keys";
import type { Clock } from "./clock";
import { ScriptError } from "./errors";
import { LocalCommandError, type LocalContext, type LocalKeyspace } from "./local-context";
import type { Script, ScriptArg, ScriptReply } from "./script";
import { assertTtlMs } from "./ttl";

const PKG = "@mcp-persist/cache-core";
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INTEGER = "ERR value is not an integer or out of range";

/**
 * How `runLocalScript` runs a script on a context from {@link createLocalContext}, or on a copy of
 * one: with the script's time frozen, the body seeing the context it was run on.
 */
const RUN: unique symbol = Symbol("runScript");

interface ScriptRunningContext extends LocalContext {
  [RUN]<R extends ScriptReply>(
    script: Script<R>,
    keys: readonly string[],
    args: readonly ScriptArg[],
    as: LocalContext,
  ): R;
}

/**
 * The reference {@link LocalContext}: Redis command semantics on any {@link LocalKeyspace}, and
 * the running of a script's JS body the way a Redis server runs its Lua body. Every in-process
 * store runs its scripts on one of these, so their scripts behave alike.
 *
 * A plain object of functions, as it always was: it can be copied with some commands overridden
 * (`{ ...ctx, delete }`, `Object.create(ctx)`) or destructured, and a copy still runs scripts with
 * their time frozen (its body then sees the copy). Stores use the class beneath it directly.
 */
export function createLocalContext(keyspace: LocalKeyspace, clock: Clock): LocalContext {
  const inner = new KeyspaceContext(keyspace, clock);
  const ctx: ScriptRunningContext = {
    [RUN]: (script, keys, args, as) => inner.run(script, keys, args, as),
    now: () => inner.now(),
    time: () => inner.time(),
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
    delete: (key) => inner.delete(key),
    pttl: (key) => inner.pttl(key),
    pexpire: (key, ttlMs) => inner.pexpire(key, ttlMs),
    incr: (key, by) => inner.incr(key, by),
    getData: <T extends object>(key: string) => inner.getData<T>(key),
    setData: (key, value, ttlMs) => inner.setData(key, value, ttlMs),
    getInteger: (key) => inner.getInteger(key),
    setInteger: (key, value, ttlMs) => inner.setInteger(key, value, ttlMs),
  };
  return ctx;
}

/**
 * Runs a script's JS body on `ctx` the way a Redis server runs its Lua body: arguments become
 * strings, the reply is converted to Redis reply shapes (integers truncated, `true` → 1, `false`
 * and `undefined` → `null`), and any failure becomes a {@link ScriptError}. The body runs
 * synchronously, so nothing else touches the keyspace meanwhile: that is the atomicity. On a
 * context made by {@link createLocalContext} (or a copy of one), the script's time also stands
 * still while it runs.
 */
export function runLocalScript<R extends ScriptReply>(
  script: Script<R>,
  ctx: LocalContext,
  keys: readonly string[],
  args: readonly ScriptArg[],
): R {
  if (ctx instanceof KeyspaceContext) return ctx.run(script, keys, args);
  const run = (ctx as Partial<ScriptRunningContext>)[RUN];
  if (run !== undefined) return run(script, keys, args, ctx);
  let result: unknown;
  try {
    result = script.local(ctx, keys, strings(args));
  } catch (error) {
    throw new ScriptError(PKG, script.name, failure(error), { cause: error });
  }
  return (script.integerReply === true ? result : toReply(result, script.name)) as R;
}

/**
 * A {@link LocalContext} over a keyspace, which also runs scripts (`run`). While a script runs,
 * its time is read once, as it starts, and then frozen, as Redis 7 freezes it for the
 * expiries a script sets: every TTL counts from the script's time, and the keyspace is handed that
 * reading instead of reading the clock again on each read or write. Outside a script, every reading is new.
 *
 * One class with the running built in, rather than a runner around a context: an in-process rate
 * limit runs a script on every check, and each layer between the store and the keyspace cost it
 * a call.
 */
export class KeyspaceContext implements LocalContext {
  readonly #keyspace: LocalKeyspace;
  readonly #clock: Clock;
  #running = false;
  /**
   * The running script's time, read as it starts; 0 outside a script. Always a number, never
   * `undefined`: the engine then keeps it in place instead of boxing a new number on each script.
   */
  #at = 0;

  constructor(keyspace: LocalKeyspace, clock: Clock) {
    this.#keyspace = keyspace;
    this.#clock = clock;
  }

  /**
   * Runs `script`'s JS body (see {@link runLocalScript}): its reply, Redis-shaped. The body is handed
   * `as`: this context, or a copy of its plain-object form with some commands overridden.
   */
  run<R extends ScriptReply>(
    script: Script<R>,
    keys: readonly string[],
    args: readonly ScriptArg[],
    as: LocalContext = this,
  ): R {
    const argv = strings(args);
    // Saved and restored, not reset: a body that runs another script (a test may) keeps its time.
    const wasRunning = this.#running;
    const before = this.#at;
    // Read as the script starts, as Redis 7 reads it once for the whole script: every command
    // sees that one time, even one that runs before the body asks for it. Before the body, so a
    // clock that fails is not reported as the body failing.
    const at = this.#clock.now();
    let result: unknown;
    try {
      this.#at = at;
      this.#running = true;
      result = script.local(as, keys, argv);
    } catch (error) {
      throw new ScriptError(PKG, script.name, failure(error), { cause: error });
    } finally {
      this.#running = wasRunning;
      this.#at = before;
    }
    return (script.integerReply === true ? result : toReply(result, script.name)) as R;
  }

  #read(): number {
    return this.#running ? this.#at : this.#clock.now();
  }

  /** The time handed to the keyspace: the script's, or none outside a script (it reads the clock if it needs to). */
  #time(): number | undefined {
    return this.#running ? this.#at : undefined;
  }

  now(): number {
    return Math.floor(this.#read());
  }

  time(): [seconds: number, microseconds: number] {
    const ms = this.#read();
    const seconds = Math.floor(ms / 1000);
    return [seconds, Math.floor((ms - seconds * 1000) * 1000)];
  }

  get(key: string): string | undefined {
    const value = this.#keyspace.read(key, this.#time());
    if (value === undefined || typeof value === "string") return value;
    throw new LocalCommandError(WRONGTYPE);
  }

  set(key: string, value: string, ttlMs: number): void {
    assertTtlMs(ttlMs, PKG);
    this.#keyspace.write(key, value, ttlMs, this.#time());
  }

  delete(key: string): boolean {
    return this.#keyspace.remove(key);
  }

  pttl(key: string): number {
    const left = this.#keyspace.remainingTtl(key);
    if (left === undefined) return -2;
    return left === Number.POSITIVE_INFINITY ? -1 : Math.max(0, Math.ceil(left));
  }

  pexpire(key: string, ttlMs: number): boolean {
    assertTtlMs(ttlMs, PKG);
    const value = this.#keyspace.read(key, this.#time());
    if (value === undefined) return false;
    this.#keyspace.write(key, value, ttlMs, this.#time());
    return true;
  }

  incr(key: string, by = 1): number {
    const current = this.get(key);
    // Redis accepts only canonical integers: no sign on zero, no leading zeros, no spaces.
    if (current !== undefined && !/^(0|-?[1-9]\d*)$/.test(current)) throw new LocalCommandError(NOT_INTEGER);
    const next = (current === undefined ? 0 : Number(current)) + by;
    if (!Number.isSafeInteger(by) || !Number.isSafeInteger(next)) throw new LocalCommandError(NOT_INTEGER);
    // KEEPTTL, judged at the script's time like the read above: a key it found live keeps its TTL.
    this.#keyspace.write(key, String(next), undefined, this.#time());
    return next;
  }

  getData<T extends object>(key: string): T | undefined {
    const value = this.#keyspace.read(key, this.#time());
    if (value === undefined || typeof value === "object") return value as T | undefined;
    throw new LocalCommandError(WRONGTYPE);
  }

  setData(key: string, value: object, ttlMs: number): void {
    assertTtlMs(ttlMs, PKG);
    if (typeof value !== "object" || value === null)
      throw new LocalCommandError("ERR setData takes an object");
    this.#keyspace.write(key, value, ttlMs, this.#time());
  }

  getInteger(key: string): string | number | undefined {
    const keyspace = this.#keyspace;
    const value =
      keyspace.readInteger === undefined
        ? keyspace.read(key, this.#time())
        : keyspace.readInteger(key, this.#time());
    if (typeof value !== "object") return value;
    throw new LocalCommandError(WRONGTYPE);
  }

  setInteger(key: string, value: number, ttlMs: number): void {
    assertTtlMs(ttlMs, PKG);
    if (!Number.isSafeInteger(value)) throw new LocalCommandError(NOT_INTEGER);
    const keyspace = this.#keyspace;
    if (keyspace.writeInteger === undefined) keyspace.write(key, String(value), ttlMs, this.#time());
    else keyspace.writeInteger(key, value, ttlMs, this.#time());
  }
}

/**
 * ARGV as the body sees it: every argument a string. Arguments that are strings already (a caller
 * that keeps its ARGV converted, as the rate limiter does) are passed as they are, with no copy:
 * the body takes them read-only.
 */
function strings(args: readonly ScriptArg[]): readonly string[] {
  if (args === lastStrings) return args as readonly string[];
  for (let i = 0; i < args.length; i++) {
    if (typeof args[i] !== "string") return args.map(String);
  }
  if (Object.isFrozen(args)) lastStrings = args;
  return args as readonly string[];
}

/**
 * The last frozen ARGV found to hold only strings: a caller that passes the same frozen array on
 * every call (the rate limiter's checks costing 1) is not checked again. Frozen, so it cannot
 * have changed since.
 */
let lastStrings: readonly ScriptArg[] | undefined;

/** What went wrong in a JS body; anything may be thrown, even a Proxy that fails `instanceof`. */
function failure(error: unknown): string {
  try {
    if (error instanceof LocalCommandError) return error.message;
  } catch {
    // `instanceof` itself threw (a Proxy's getPrototypeOf trap): describe it like any value.
  }
  return `JS body threw ${describeValue(error)}`;
}

/**
 * A JS body's return value as Redis would reply the Lua value. An array of integers only (a
 * rate-limit check's, on every in-process check) is already its Redis shape: returned as it is,
 * with no copy, by a test small enough for the engine to inline into `run`.
 */
function toReply(value: unknown, name: string): ScriptReply {
  return Array.isArray(value) && integersOnly(value) ? (value as ScriptReply) : convertReply(value, name);
}

/** {@link toReply} for every other value: checked and converted item by item. */
function convertReply(value: unknown, name: string): ScriptReply {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value))
        throw new ScriptError(PKG, name, `returned ${value}, which Redis cannot reply`);
      return Math.trunc(value) || 0;
    case "boolean":
      return value ? 1 : null;
    case "undefined":
      return null;
    default:
      if (value === null) return null;
      if (Array.isArray(value)) return arrayReply(value, name);
      if (typeof (value as { then?: unknown }).then === "function") {
        throw new ScriptError(PKG, name, "JS body returned a promise; it must be synchronous to stay atomic");
      }
      throw new ScriptError(PKG, name, `returned a ${typeof value} that is not a Redis reply (use arrays)`);
  }
}

/** An array with something other than integers in it, converted into a new one. */
function arrayReply(value: readonly unknown[], name: string): ScriptReply {
  // A loop, not map(): no callback per item.
  const reply: ScriptReply[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (item === undefined && !(i in value)) continue; // a hole stays a hole, as map() left it
    // An integer is its own reply (`+ 0` turns -0 into 0, as Math.trunc(-0) || 0 does).
    reply[i] = typeof item === "number" && Number.isSafeInteger(item) ? item + 0 : toReply(item, name);
  }
  return reply;
}

/** Whether every item is an integer Redis would reply as is: safe, and not -0 (a hole is not a number). */
function integersOnly(value: readonly unknown[]): boolean {
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item !== "number" || !Number.isSafeInteger(item) || Object.is(item, -0)) return false;
  }
  return true;
}
