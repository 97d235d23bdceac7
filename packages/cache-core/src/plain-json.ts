// Plain JSON for the default codec: a test that lets it write a value with a bare JSON.stringify.
// (The fast copy of a tree JSON.parse returned, for hits, is `copyTree` in decoded-values.ts.)

/**
 * The default codec's tag key. JSON allows "\u0000" as a key, so a user object that has one is
 * not plain: the codec escapes it.
 */
export const TAG = "\u0000";

/** Nesting past which a value is not called plain (the general path takes it, as before). */
const MAX_PLAIN_DEPTH = 128;

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
