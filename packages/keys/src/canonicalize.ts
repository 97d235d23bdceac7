import { diagnose, type Failure } from "./diagnose";
import { KeyError } from "./errors";
import { quote, quoteKey } from "./quote";

export interface CanonicalizeOptions {
  /**
   * Largest canonical form accepted, in characters. Arguments beyond it are almost always a bug
   * (a whole document passed as an argument) and would make every key derivation slow.
   * @default 1_000_000
   */
  maxLength?: number;
  /**
   * Deepest nesting accepted. Bounds recursion so hostile input gets a `KeyError`, not a stack overflow.
   * @default 64
   */
  maxDepth?: number;
}

export const DEFAULT_MAX_LENGTH = 1_000_000;
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Thrown inside the walk without any detail: the hot path never builds paths or messages.
 * `canonicalize` catches it and asks `diagnose` to find what and where.
 */
const BAIL: unique symbol = Symbol("bail");

/**
 * The canonical form of a value: equal for logically equal values whatever the order of object
 * keys (at any depth), and different for different values. It is JSON for JSON data with keys
 * sorted; other values get tokens JSON cannot confuse with data: `NaN`, `Infinity`, `-0`, `12n`,
 * `undefined` (inside arrays and Maps), `Date(ms)`, `Map{k=>v,…}` and `Set[…]` (entries sorted),
 * `Uint8Array(base64)`, `RegExp("/a/g")`. Object members whose value is `undefined` are omitted,
 * as in JSON; objects with `toJSON` serialise what it returns.
 *
 * @throws {KeyError} on cycles, functions, symbols, class instances it cannot represent, and
 *   values longer than `maxLength` or deeper than `maxDepth`.
 */
export function canonicalize(value: unknown, options?: CanonicalizeOptions): string {
  const maxLength = positiveInteger(options?.maxLength, DEFAULT_MAX_LENGTH, "maxLength");
  const maxDepth = positiveInteger(options?.maxDepth, DEFAULT_MAX_DEPTH, "maxDepth");
  let out: string;
  try {
    out = write(value, 0, maxDepth, maxLength);
  } catch (error) {
    if (error !== BAIL) throw error;
    throw toKeyError(diagnose(value, maxDepth, maxLength));
  }
  if (out.length > maxLength) throw toKeyError(diagnose(value, maxDepth, maxLength));
  return out;
}

function write(value: unknown, depth: number, maxDepth: number, maxLength: number): string {
  switch (typeof value) {
    case "string":
      if (value.length > maxLength) throw BAIL;
      return quote(value);
    case "number":
      // JSON writes NaN and ±Infinity as null and -0 as 0; String() gives each its own token.
      return value === 0 && 1 / value < 0 ? "-0" : String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      // No list of ancestors: a cycle always runs past maxDepth, and only then does `diagnose`
      // tell a cycle from deep data. Acyclic shared references are fine.
      if (depth >= maxDepth) throw BAIL;
      return Array.isArray(value)
        ? writeArray(value, depth + 1, maxDepth, maxLength)
        : writeObject(value, depth + 1, maxDepth, maxLength);
    case "undefined":
      return "undefined";
    case "bigint":
      return `${value}n`;
    default:
      throw BAIL;
  }
}

function writeArray(array: readonly unknown[], depth: number, maxDepth: number, maxLength: number): string {
  // Every element takes at least one character: reject huge (or sparse) arrays before looping.
  if (array.length > maxLength) throw BAIL;
  let out = "[";
  for (let index = 0; index < array.length; index++) {
    if (index > 0) out += ",";
    out += write(array[index], depth, maxDepth, maxLength);
  }
  out += "]";
  if (out.length > maxLength) throw BAIL;
  return out;
}

function writeObject(object: object, depth: number, maxDepth: number, maxLength: number): string {
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) return writeInstance(object, depth, maxDepth, maxLength);
  // Own keys, read as data: a "__proto__" or "constructor" key is just a member here, and nothing
  // is ever assigned, so there is no prototype to pollute.
  const keys = Object.keys(object).sort();
  let out = "{";
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const member = (object as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ",";
    out += quoteKey(key);
    out += write(member, depth, maxDepth, maxLength);
  }
  out += "}";
  if (out.length > maxLength) throw BAIL;
  return out;
}

function writeInstance(object: object, depth: number, maxDepth: number, maxLength: number): string {
  if (object instanceof Date) return `Date(${object.getTime()})`;
  if (object instanceof Map) {
    const entries: string[] = [];
    for (const [key, member] of object) {
      entries.push(`${write(key, depth, maxDepth, maxLength)}=>${write(member, depth, maxDepth, maxLength)}`);
    }
    return `Map{${entries.sort().join(",")}}`;
  }
  if (object instanceof Set) {
    const members: string[] = [];
    for (const member of object) members.push(write(member, depth, maxDepth, maxLength));
    return `Set[${members.sort().join(",")}]`;
  }
  if (ArrayBuffer.isView(object)) {
    const bytes = Buffer.from(object.buffer, object.byteOffset, object.byteLength);
    return `${object.constructor.name}(${bytes.toString("base64")})`;
  }
  if (object instanceof RegExp) return `RegExp(${JSON.stringify(String(object))})`;
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return write(toJSON.call(object), depth, maxDepth, maxLength);
  throw BAIL;
}

function toKeyError(failure: Failure): KeyError {
  return new KeyError(failure.code, failure.message, failure.path);
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new KeyError("KEY_INVALID_OPTION", `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
