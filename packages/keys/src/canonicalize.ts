import { describeValue } from "./describe-value";
import { diagnose, type Failure } from "./diagnose";
import { InvalidOptionError, KeyError } from "./errors";
import { quote, quoteKey } from "./quote";

export interface CanonicalizeOptions {
  /**
   * Largest canonical form accepted, in characters, from 1 to 50_000_000. Arguments beyond it are
   * almost always a bug (a whole document passed as an argument) and would make every key
   * derivation slow. It also bounds the work: a value made of shared references is refused once
   * what it would write passes this length, however small the value is in memory.
   * @default 1_000_000
   */
  maxLength?: number;
  /**
   * Deepest nesting accepted, from 1 to 1000. Bounds recursion so hostile input gets a
   * `KeyError`, not a stack overflow.
   * @default 64
   */
  maxDepth?: number;
}

export const DEFAULT_MAX_LENGTH = 1_000_000;
export const DEFAULT_MAX_DEPTH = 64;
/** Keeps every string the writer builds (at most ~8× maxLength) under V8's string length limit. */
const LIMIT_MAX_LENGTH = 50_000_000;
/** Keeps the recursion (and diagnose's, which is deeper) well inside Node's default stack. */
const LIMIT_MAX_DEPTH = 1000;

/**
 * Thrown inside the walk without any detail: the hot path never builds paths or messages.
 * `canonicalize` catches it and asks `diagnose` to find what and where.
 */
const BAIL: unique symbol = Symbol("bail");

/** The state of one walk. */
interface Walk {
  readonly maxDepth: number;
  /**
   * Characters the walk may still write. Every token is charged before (or as) it is written,
   * shared references each time they occur, so the work of a walk is bounded by `maxLength` for
   * every kind of container. Charges never exceed what is written (only an object member whose
   * value is `undefined`, which JSON omits, costs 1 without writing), so running out means the
   * canonical form really is too long.
   */
  budget: number;
}

/**
 * The canonical form of a value: equal for logically equal values whatever the order of object
 * keys (at any depth), and different for different values. It is JSON for JSON data with keys
 * sorted; other values get tokens JSON cannot confuse with data: `NaN`, `Infinity`, `-0`, `12n`,
 * `undefined` (inside arrays and Maps), `Date(ms)`, `Map{k=>v,…}` and `Set[…]` (entries sorted),
 * `Uint8Array(base64)`, `RegExp("/a/g")`. Object members whose value is `undefined` are omitted,
 * as in JSON; objects with `toJSON` serialise what it returns. Strings are quoted as
 * `JSON.stringify` quotes them, lone surrogates included (`"\ud83d"`), so text cut mid-emoji
 * keeps a form of its own.
 *
 * @throws {KeyError} and nothing else: on cycles, functions, symbols, class instances it cannot
 *   represent, values longer than `maxLength` or deeper than `maxDepth`, bad options, and values
 *   whose reading throws (a `toJSON`, a getter or a Proxy trap; the error is the `cause`).
 */
export function canonicalize(value: unknown, options?: CanonicalizeOptions): string {
  const maxLength = limit(options?.maxLength, DEFAULT_MAX_LENGTH, LIMIT_MAX_LENGTH, "maxLength");
  const maxDepth = limit(options?.maxDepth, DEFAULT_MAX_DEPTH, LIMIT_MAX_DEPTH, "maxDepth");
  let out: string;
  try {
    out = write(value, 0, { maxDepth, budget: maxLength });
  } catch (error) {
    throw error === BAIL ? explain(value, maxDepth, maxLength) : unreadable(error);
  }
  if (out.length > maxLength) throw explain(value, maxDepth, maxLength);
  return out;
}

function write(value: unknown, depth: number, walk: Walk): string {
  let token: string;
  switch (typeof value) {
    case "string":
      // Charged before quoting (which adds at least the quotes): a huge string is refused unread.
      spend(walk, value.length + 2);
      return quote(value);
    case "number":
      // JSON writes NaN and ±Infinity as null and -0 as 0; String() gives each its own token.
      token = value === 0 && 1 / value < 0 ? "-0" : String(value);
      break;
    case "boolean":
      token = value ? "true" : "false";
      break;
    case "undefined":
      token = "undefined";
      break;
    case "bigint":
      token = `${value}n`;
      break;
    case "object":
      if (value === null) {
        token = "null";
        break;
      }
      // No list of ancestors: a cycle always runs past maxDepth (or the budget), and only then
      // does `diagnose` tell a cycle from deep data. Acyclic shared references are fine.
      if (depth >= walk.maxDepth) throw BAIL;
      return Array.isArray(value) ? writeArray(value, depth + 1, walk) : writeObject(value, depth + 1, walk);
    default:
      throw BAIL;
  }
  spend(walk, token.length);
  return token;
}

function spend(walk: Walk, characters: number): void {
  walk.budget -= characters;
  if (walk.budget < 0) throw BAIL;
}

function writeArray(array: readonly unknown[], depth: number, walk: Walk): string {
  // Every element writes at least one character: refuse huge (or sparse) arrays before looping.
  if (array.length > walk.budget) throw BAIL;
  spend(walk, 2);
  let out = "[";
  for (let index = 0; index < array.length; index++) {
    if (index > 0) out += ",";
    out += write(array[index], depth, walk);
  }
  return `${out}]`;
}

function writeObject(object: object, depth: number, walk: Walk): string {
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) return writeInstance(object, depth, walk);
  // Own keys, read as data: a "__proto__" or "constructor" key is just a member here, and nothing
  // is ever assigned, so there is no prototype to pollute.
  const keys = Object.keys(object);
  // Every key costs at least one unit below: refuse before sorting a huge object.
  if (keys.length > walk.budget) throw BAIL;
  keys.sort();
  spend(walk, 2);
  let out = "{";
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const member = (object as Record<string, unknown>)[key];
    if (member === undefined) {
      spend(walk, 1); // written as nothing, but visiting it is work all the same
      continue;
    }
    if (out.length > 1) out += ",";
    spend(walk, key.length + 3);
    out += quoteKey(key);
    out += write(member, depth, walk);
  }
  return `${out}}`;
}

function writeInstance(object: object, depth: number, walk: Walk): string {
  let token: string;
  if (object instanceof Date) {
    token = `Date(${object.getTime()})`;
  } else if (object instanceof Map) {
    spend(walk, 5);
    const entries: string[] = [];
    for (const [key, member] of object) {
      spend(walk, 2);
      entries.push(`${write(key, depth, walk)}=>${write(member, depth, walk)}`);
    }
    return `Map{${entries.sort().join(",")}}`;
  } else if (object instanceof Set) {
    spend(walk, 5);
    const members: string[] = [];
    for (const member of object) members.push(write(member, depth, walk));
    return `Set[${members.sort().join(",")}]`;
  } else if (ArrayBuffer.isView(object)) {
    const name = viewName(object);
    // Charged before encoding: base64 writes 4 characters for every 3 bytes.
    spend(walk, name.length + 2 + 4 * Math.ceil(object.byteLength / 3));
    return `${name}(${Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString("base64")})`;
  } else if (object instanceof RegExp) {
    token = `RegExp(${JSON.stringify(String(object))})`;
  } else {
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON !== "function") throw BAIL;
    // What it returns is one level deeper: a toJSON returning `this` or a fresh object each
    // time runs into maxDepth like a cycle.
    return write(toJSON.call(object), depth, walk);
  }
  spend(walk, token.length);
  return token;
}

/** `Uint8Array`, `DataView`, …: the constructor's name, or the built-in tag if it has none. */
function viewName(view: ArrayBufferView): string {
  const name: unknown = (view.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : Object.prototype.toString.call(view).slice(8, -1);
}

/** The KeyError for a walk that bailed out. `diagnose` reads the value again, so it is guarded too. */
function explain(value: unknown, maxDepth: number, maxLength: number): KeyError {
  let failure: Failure;
  try {
    failure = diagnose(value, maxDepth, maxLength);
  } catch (error) {
    return unreadable(error);
  }
  return new KeyError(failure.code, failure.message, failure.path);
}

/** A value whose reading threw: a throwing `toJSON`, getter or Proxy trap, or a stack already nearly full. */
function unreadable(error: unknown): KeyError {
  return new KeyError(
    "ERR_KEY_UNSUPPORTED_TYPE",
    `cannot build a key: reading the value threw ${describeValue(error)} (a toJSON, getter or Proxy); pass plain data`,
    [],
    { cause: error },
  );
}

function limit(value: unknown, fallback: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > max) {
    throw new InvalidOptionError(`${name} must be an integer from 1 to ${max}, got ${describeValue(value)}`);
  }
  return value;
}
