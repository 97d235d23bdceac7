import { describeValue } from "./describe-value";
import { digest } from "./digest";
import { KeyError } from "./errors";
import { isWellFormed, loneSurrogateBytes, splitLoneSurrogates } from "./wtf8";

/** Segments are bounded so a key stays short whatever a tool or namespace is called. */
export const MAX_SEGMENT_LENGTH = 100;

/**
 * Bytes of SHA-256 that stand for a shortened segment: 128 bits. Names are often steered by
 * callers (a lock resource `email:${to}`, a `once` key), and with 64 bits two long names sharing
 * one key take only ~2^32 tries to find.
 */
const SHORTENED_DIGEST_BYTES = 16;

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
 * characters keep a readable head (67 characters at most) and end with `~` and a 128-bit digest
 * (32 hex) of the whole: 100 characters in all.
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
  // Cut before a partial escape so the head stays valid percent-encoding; `~` and the digest
  // (2 hex per byte) fill the rest, so a shortened segment is MAX_SEGMENT_LENGTH at most.
  const headLength = MAX_SEGMENT_LENGTH - 1 - 2 * SHORTENED_DIGEST_BYTES;
  const head = escaped.slice(0, headLength).replace(/%[0-9A-F]?$/, "");
  return `${head}~${digest(segment, SHORTENED_DIGEST_BYTES)}`;
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
