import { describeValue } from "@mcp-persist/keys";
import { CodecError } from "./errors";
import { isPlainJson, TAG } from "./plain-json";

/**
 * Turns cached values into store text and back. Replace it to change the wire format; it must
 * round-trip every value it accepts and throw on values it cannot represent (the cache then
 * returns such a value uncached).
 */
export interface Codec {
  encode(value: unknown): string;
  decode(text: string): unknown;
}

const PLAIN = 106; // "j": plain JSON, decoded by JSON.parse alone
const TAGGED = 116; // "t": JSON with tagged nodes, decoded by JSON.parse and one revive pass
const TEXT_RESULT = 109; // "m": an MCP result with one text item, stored as the bare text

/**
 * The default codec. Plain JSON values are stored as `j` + JSON and decode with one
 * `JSON.parse`. Values holding what JSON cannot say (Date, BigInt, Map, Set, `undefined` in
 * arrays or properties, NaN, ±Infinity, -0) are stored as `t` + JSON in which each such value is
 * a node `{"\u0000": tag, "v": payload}`, so a value read back from Redis equals what was
 * stored. Functions and symbols are refused; other objects are stored as JSON would store them.
 *
 * The commonest MCP tool result, `{ content: [{ type: "text", text }] }` and nothing else, is
 * stored as `m` + the text: decoding it is one slice, no parse.
 *
 * Whatever it is given, the text it writes is well-formed Unicode (the `Store` contract): lone
 * surrogates in strings are written as JSON escapes.
 */
export const defaultCodec: Codec = {
  encode(value) {
    // A lone surrogate (text cut mid-emoji) cannot go out bare: Redis keeps UTF-8 bytes and would
    // hand back U+FFFD. Such text takes the JSON path, whose escapes ("\ud83d") keep it exactly.
    if (isTextResult(value) && isWellFormed(value.content[0].text)) return `m${value.content[0].text}`;
    // Plain JSON all through (most tool results): a bare JSON.stringify writes exactly what
    // encodeTagged's replacer would, at half the cost, without a call for every member.
    return isPlainJson(value) ? `j${JSON.stringify(value)}` : encodeTagged(value);
  },

  decode(text) {
    const kind = text.charCodeAt(0);
    if (kind === TEXT_RESULT) return { content: [{ type: "text", text: text.slice(1) }] };
    try {
      if (kind === PLAIN) return JSON.parse(text.slice(1));
      if (kind === TAGGED) return revive(JSON.parse(text.slice(1)));
    } catch (error) {
      throw new CodecError(`cannot decode a stored value: ${describeValue(error)}`, { cause: error });
    }
    throw new CodecError("cannot decode a stored value: it was not written by the default codec");
  },
};

/**
 * The general path of `defaultCodec.encode`: JSON.stringify with a replacer that tags what JSON
 * cannot say. Exported for the test that holds the plain-JSON shortcut to it, byte for byte.
 */
export function encodeTagged(value: unknown): string {
  let tagged = false;
  // Our own refusal, kept aside: what a toJSON threw may not even survive `instanceof`.
  let refused: CodecError | undefined;
  // JSON.stringify has already applied toJSON (a Date is a string by now): `this[key]` is the
  // original value.
  function replacer(this: Record<string, unknown>, key: string, json: unknown): unknown {
    const raw = this[key];
    if (raw instanceof Date) {
      tagged = true;
      const time = raw.getTime();
      return { [TAG]: "d", v: Number.isNaN(time) ? null : time };
    }
    switch (typeof json) {
      case "number":
        if (Number.isFinite(json) && !Object.is(json, -0)) return json;
        tagged = true;
        return { [TAG]: "n", v: Object.is(json, -0) ? "-0" : String(json) };
      case "bigint":
        tagged = true;
        return { [TAG]: "b", v: json.toString() };
      case "undefined":
        tagged = true;
        return { [TAG]: "u" };
      case "function":
      case "symbol":
        refused = new CodecError(
          `cannot encode a ${typeof json} (at key ${JSON.stringify(key)}); return data only`,
        );
        throw refused;
      case "object":
        if (json instanceof Map) {
          tagged = true;
          return { [TAG]: "m", v: Array.from(json) };
        }
        if (json instanceof Set) {
          tagged = true;
          return { [TAG]: "s", v: Array.from(json) };
        }
        if (json !== null && !Array.isArray(json) && Object.hasOwn(json, TAG)) {
          tagged = true;
          return { [TAG]: "o", v: Object.entries(json) };
        }
        return json;
      default:
        return json;
    }
  }
  let text: string;
  try {
    text = JSON.stringify(value, replacer);
  } catch (error) {
    if (refused !== undefined) throw refused;
    throw new CodecError(`cannot encode the value: ${describeValue(error)}`, { cause: error });
  }
  return (tagged ? "t" : "j") + text;
}

/** `String.prototype.isWellFormed` (Node 20+; not in the ES2023 typings this project compiles against). */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** Exactly `{ content: [{ type: "text", text: string }] }`: plain objects, no other members. */
function isTextResult(value: unknown): value is { content: [{ type: "text"; text: string }] } {
  if (!isPlainRecord(value, 1)) return false;
  const content = value.content;
  if (!Array.isArray(content) || content.length !== 1) return false;
  const item: unknown = content[0];
  return isPlainRecord(item, 2) && item.type === "text" && typeof item.text === "string";
}

function isPlainRecord(value: unknown, size: number): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return false;
  let members = 0;
  for (const key in value) if (Object.hasOwn(value, key)) members++;
  return members === size;
}

/** Replaces tagged nodes in a freshly parsed tree (which nobody else holds, so in place). */
function revive(node: unknown): unknown {
  if (typeof node !== "object" || node === null) return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = revive(node[i]);
    return node;
  }
  const object = node as Record<string, unknown>;
  if (Object.hasOwn(object, TAG)) return untag(object[TAG], object.v);
  // JSON.parse made every key an own data property (even "__proto__"), so assignment is safe.
  for (const key in object) object[key] = revive(object[key]);
  return object;
}

function untag(tag: unknown, v: unknown): unknown {
  switch (tag) {
    case "u":
      return undefined;
    case "n":
      return v === "-0" ? -0 : Number(v);
    case "b":
      return BigInt(v as string);
    case "d":
      return new Date(v === null ? Number.NaN : (v as number));
    case "m":
      return new Map((v as [unknown, unknown][]).map(([key, value]) => [revive(key), revive(value)]));
    case "s":
      return new Set((v as unknown[]).map(revive));
    case "o":
      // fromEntries defines own properties, so a "__proto__" key stays a key.
      return Object.fromEntries((v as [string, unknown][]).map(([key, value]) => [key, revive(value)]));
    default:
      throw new CodecError(`unknown tag ${JSON.stringify(tag)} in a stored value`);
  }
}
