import { describeValue } from "./describe-value";
import { digest } from "./digest";
import { KeyError } from "./errors";
import { isWellFormed, loneSurrogateBytes, splitLoneSurrogates } from "./wtf8";

/** Segments are bounded so a key stays short whatever a tool or namespace is called. */
export const MAX_SEGMENT_LENGTH = 100;

const SAFE = /^[A-Za-z0-9_.-]+$/;
// encodeURIComponent leaves these alone; they are escaped too so that `~` can mark truncation
// and `*` (a glob in SCAN/KEYS patterns) never appears in a key.
const UNRESERVED = /[!'()*~]/g;

/**
 * Makes a string safe as one segment of a `:`-separated key. Anything outside `[A-Za-z0-9_.-]`
 * is percent-encoded (`%` included), so `:`, `{`, `}`, `*`, spaces or newlines in a tool name or
 * namespace can never fake another segment or a Redis Cluster hash tag: distinct inputs give
 * distinct segments. A lone surrogate (text cut mid-emoji) is encoded as its WTF-8 bytes
 * (`"\uD83D"` → `%ED%A0%BD`), which no well-formed text encodes to. Segments longer than 100
 * characters keep a readable head and end with `~` and a digest of the whole.
 * @throws {KeyError} `ERR_KEY_INVALID_SEGMENT` for an empty string or a non-string.
 */
export function keySegment(segment: string): string {
  if (typeof segment !== "string" || segment.length === 0) {
    throw new KeyError(
      "ERR_KEY_INVALID_SEGMENT",
      `a key segment must be a non-empty string, got ${describeValue(segment)}`,
    );
  }
  const escaped = SAFE.test(segment)
    ? segment
    : percentEncode(segment).replace(UNRESERVED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (escaped.length <= MAX_SEGMENT_LENGTH) return escaped;
  // Cut before a partial escape so the head stays valid percent-encoding.
  const head = escaped.slice(0, MAX_SEGMENT_LENGTH - 17).replace(/%[0-9A-F]?$/, "");
  return `${head}~${digest(segment, 8)}`;
}

/**
 * Joins segments into a key, escaping each: `joinKey("ratelimit", caller, tool)`.
 * @throws {KeyError} `ERR_KEY_INVALID_SEGMENT` for no segment at all, or a bad one.
 */
export function joinKey(...segments: string[]): string {
  if (segments.length === 0) {
    throw new KeyError("ERR_KEY_INVALID_SEGMENT", "joinKey() needs at least one segment");
  }
  return segments.map(keySegment).join(":");
}

/** encodeURIComponent, extended to lone surrogates (on which it throws a URIError). */
function percentEncode(text: string): string {
  if (isWellFormed(text)) return encodeURIComponent(text);
  return splitLoneSurrogates(text)
    .map((part, index) =>
      index % 2 === 0 ? encodeURIComponent(part) : loneSurrogateBytes(part).map(percentByte).join(""),
    )
    .join("");
}

function percentByte(byte: number): string {
  return `%${byte.toString(16).toUpperCase()}`;
}
