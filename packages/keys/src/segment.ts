import { digest } from "./digest";
import { KeyError } from "./errors";

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
 * distinct segments. Segments longer than 100 characters keep a readable head and end with `~`
 * and a digest of the whole.
 * @throws {KeyError} for an empty segment.
 */
export function keySegment(segment: string): string {
  if (typeof segment !== "string" || segment.length === 0) {
    throw new KeyError(
      "KEY_INVALID_SEGMENT",
      `a key segment must be a non-empty string, got ${describe(segment)}`,
    );
  }
  const escaped = SAFE.test(segment)
    ? segment
    : encodeURIComponent(segment).replace(
        UNRESERVED,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
  if (escaped.length <= MAX_SEGMENT_LENGTH) return escaped;
  // Cut before a partial escape so the head stays valid percent-encoding.
  const head = escaped.slice(0, MAX_SEGMENT_LENGTH - 17).replace(/%[0-9A-F]?$/, "");
  return `${head}~${digest(segment, 8)}`;
}

/** Joins segments into a key, escaping each: `joinKey("ratelimit", caller, tool)`. */
export function joinKey(...segments: string[]): string {
  return segments.map(keySegment).join(":");
}

function describe(value: unknown): string {
  return typeof value === "string" ? '""' : typeof value;
}
