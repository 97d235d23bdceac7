import { defineMember } from "./json-identity";

// Plain JSON for the default codec: a test that lets it write a value with a bare JSON.stringify,
// and a fast copy of a tree JSON.parse returned, for hits on entries already decoded.

/**
 * The default codec's tag key. JSON allows "\u0000" as a key, so a user object that has one is
 * not plain: the codec escapes it.
 */
export const TAG = "\u0000";

/** Nesting past which a value is not called plain (the general path takes it, as before). */
const MAX_PLAIN_DEPTH = 128;

/** Nesting past which {@link copyTree} throws {@link TOO_DEEP}: a copy must not run out of stack. */
const MAX_TREE_DEPTH = 256;
export const TOO_DEEP: unique symbol = Symbol("too deep to copy");

// JSON.rawJSON (runtimes newer than Node 20) makes null-prototype objects that JSON.stringify
// writes as raw text: not plain, though they look it.
const isRawJson = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON;

/**
 * Whether JSON.stringify writes `value` exactly as the codec's tagging replacer would: every node
 * is a string, boolean, null, finite number other than -0, array, or object with a plain or null
 * prototype and no own tag key, with no `toJSON` anywhere. A value that throws while it is read
 * (a getter, a Proxy) is not plain: the general path reads it again and reports the error.
 */
export function isPlainJson(value: unknown): boolean {
  try {
    return plainNode(value, 0);
  } catch {
    return false;
  }
}

function plainNode(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !(value === 0 && 1 / value < 0);
    case "object": {
      if (value === null) return true;
      if (depth >= MAX_PLAIN_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === "function") {
        return false;
      }
      if (Array.isArray(value)) {
        // A hole reads as undefined: not plain (the replacer tags it).
        for (let i = 0; i < value.length; i++) if (!plainNode(value[i], depth + 1)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && (proto !== null || isRawJson?.(value) === true)) return false;
      if (Object.hasOwn(value, TAG)) return false;
      // Inherited members too: never fewer checks than JSON.stringify's own members need.
      for (const key in value) {
        if (!plainNode((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * A copy of `node`, a tree JSON.parse returned (plain objects and packed arrays of strings,
 * numbers, booleans and null, every member an own data property): equal to parsing its text
 * again, member for member, and several times faster. Spread and `slice()` copy a level at once
 * (V8 clones an object's layout whole); members that are objects are then copied in turn. A
 * `"__proto__"` member stays a member, as JSON.parse made it. Throws {@link TOO_DEEP} past 256
 * levels.
 */
export function copyTree(node: object, depth = 0): object {
  if (depth >= MAX_TREE_DEPTH) throw TOO_DEEP;
  if (Array.isArray(node)) {
    const out: unknown[] = node.slice();
    for (let i = 0; i < out.length; i++) {
      const item = out[i];
      if (typeof item === "object" && item !== null) out[i] = copyTree(item, depth + 1);
    }
    return out;
  }
  const out: Record<string, unknown> = { ...node };
  for (const key in out) {
    const member = out[key];
    // Own members only (a polluted Object.prototype could lend enumerable ones).
    if (typeof member !== "object" || member === null || !Object.hasOwn(out, key)) continue;
    if (key === "__proto__") defineMember(out, key, copyTree(member, depth + 1));
    else out[key] = copyTree(member, depth + 1);
  }
  return out;
}
