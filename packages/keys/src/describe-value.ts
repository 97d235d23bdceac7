import { quote } from "./quote";

/** Longest rendering of one string (or symbol, BigInt) in a message; the rest is counted, not shown. */
const MAX_SHOWN = 60;
/** Members named when describing a plain object. */
const MAX_KEYS_SHOWN = 5;

/**
 * A short, single-line rendering of any value for an error message: `"search"`, `5n`, `-0`,
 * `Symbol(id)`, `a function`, `an array (length 3)`, `an object with keys [user, tenant]`,
 * `Date(0)`, `a Map (2 entries)`, `TypeError("boom")`, `a Point instance`.
 *
 * Total: it never throws, whatever it is given (BigInt, symbols, `Object.create(null)`, revoked
 * Proxies, throwing getters), so building the message of an error never replaces that error with
 * another one. Long strings are cut, and control characters and lone surrogates are escaped, so
 * a hostile value cannot flood or forge log lines.
 */
export function describeValue(value: unknown): string {
  try {
    return describe(value);
  } catch {
    // Only a hostile object (a Proxy trap, a throwing getter) gets here.
    return "an unreadable value";
  }
}

/**
 * The name of the class a value was made by (`"Point"`), or `undefined` for plain objects,
 * `Object.create(null)` and anything whose constructor cannot be read. Never throws.
 */
export function className(value: object): string | undefined {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return undefined;
    const ctor: unknown = (proto as { constructor?: unknown }).constructor;
    const name: unknown = typeof ctor === "function" ? ctor.name : undefined;
    return typeof name === "string" && name.length > 0 ? cut(name) : undefined;
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quoteShort(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${cut(value.toString())}n`;
    case "symbol":
      // String(symbol) is the symbol's own descriptive string: it runs no user code.
      return cut(String(value));
    case "function":
      return "a function";
    case "object":
      return value === null ? "null" : describeObject(value);
    default:
      return String(value); // undefined, boolean
  }
}

function describeObject(value: object): string {
  if (Array.isArray(value)) return `an array (length ${value.length})`;
  if (value instanceof Date) return `Date(${Date.prototype.getTime.call(value)})`;
  if (value instanceof Map) return `a Map (${count(value.size, "entry", "entries")})`;
  if (value instanceof Set) return `a Set (${count(value.size, "member", "members")})`;
  if (value instanceof Error) return `${cut(String(value.name))}(${quoteShort(String(value.message))})`;
  const name = className(value);
  if (name !== undefined) return `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name} instance`;
  const keys = Object.keys(value);
  const shown = keys.slice(0, MAX_KEYS_SHOWN).map((key) => cut(key, 20));
  if (keys.length > MAX_KEYS_SHOWN) shown.push(`… ${keys.length - MAX_KEYS_SHOWN} more`);
  return `an object with keys [${shown.join(", ")}]`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** JSON-quoted (so newlines and lone surrogates are escaped), cut to a readable length. */
function quoteShort(text: string): string {
  return text.length <= MAX_SHOWN
    ? quoteLine(text)
    : `${quoteLine(text.slice(0, MAX_SHOWN))}… (${text.length} characters)`;
}

/** Cuts without quoting, escaping what would break a log line. */
function cut(text: string, max = MAX_SHOWN): string {
  const shown = text.length <= max ? text : `${text.slice(0, max)}…`;
  return /^[\w$ .#@/:()-]*…?$/.test(shown) ? shown : quoteLine(shown).slice(1, -1);
}

/**
 * JSON-quoted (`quote`, JSON's own quoting), with the line and paragraph separators (U+2028,
 * U+2029) escaped too: JSON leaves them as they are, and a log viewer may break the line at them.
 */
function quoteLine(text: string): string {
  return quote(text).replace(/[\u2028\u2029]/g, (separator) =>
    separator === "\u2028" ? "\\u2028" : "\\u2029",
  );
}
