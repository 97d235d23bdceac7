import { canonicalize } from "./canonicalize";
import { argsDigest, DEFAULT_DIGEST_BYTES, digest } from "./digest";
import { KeyError } from "./errors";
import { keySegment } from "./segment";

/**
 * Who is calling. Tools whose results depend on the caller must be keyed on it, or one user
 * sees another's data. A string is an opaque identity; the object form names its parts.
 */
export type CallerScope = string | { user?: string; tenant?: string; session?: string; client?: string };

export interface ToolPrefixOptions {
  /** First segment of every key: isolates this server's keys on a shared Redis. @default "mcp" */
  namespace?: string;
  /** Tool name, escaped into a readable segment. */
  tool?: string;
  /** Schema or behaviour version of the tool: bump it and old entries are never read again. @default "v1" */
  version?: string;
}

export interface ToolKeyOptions extends ToolPrefixOptions {
  tool: string;
  /** The tool's arguments, serialised canonically (key order never matters). */
  args: unknown;
  /** Caller identity, hashed into the key. Omit only for results that are the same for everyone. */
  scope?: CallerScope;
  /**
   * Wrap the scope digest in a Redis Cluster hash tag (`{…}`) so one caller's keys share a slot,
   * and multi-key scripts over them stay legal. Without a scope there is nothing to tag.
   * @default false
   */
  hashTag?: boolean;
  /** Bytes of SHA-256 kept for the argument digest, 8 to 32. @default 16 */
  digestBytes?: number;
  /** Largest canonical form of `args` accepted, in characters. @default 1_000_000 */
  maxArgsLength?: number;
}

/** The segment standing for "no caller scope": never a hex digest, so it cannot collide with one. */
export const SHARED_SCOPE = "_";

/**
 * The cache key of one tool call: `mcp:search_docs:v1:<scope>:<args digest>`, where `<scope>` is
 * a digest of the caller identity (or `_` when shared). The readable prefix lets a whole tool or
 * namespace be found and invalidated; the length is bounded whatever the arguments.
 * @throws {KeyError} for bad arguments, segments or scope.
 */
export function toolKey(options: ToolKeyOptions): string {
  const args = argsDigest(options.args, {
    digestBytes: options.digestBytes,
    maxLength: options.maxArgsLength,
  });
  let scope = SHARED_SCOPE;
  if (options.scope !== undefined) {
    scope = scopeDigest(options.scope);
    if (options.hashTag) scope = `{${scope}}`;
  }
  return `${toolPrefix(options)}${scope}:${args}`;
}

/**
 * The readable head of keys: `mcp:` for a namespace, `mcp:search_docs:v1:` for a tool.
 * Ends with `:` so one tool's prefix is never the prefix of another tool's keys.
 */
export function toolPrefix(options: ToolPrefixOptions = {}): string {
  const namespace = `${keySegment(options.namespace ?? "mcp")}:`;
  if (options.tool === undefined) return namespace;
  return `${namespace}${keySegment(options.tool)}:${keySegment(options.version ?? "v1")}:`;
}

/** Digest of a caller identity. A string and an object naming the same string differ on purpose. */
export function scopeDigest(scope: CallerScope): string {
  if (typeof scope === "string") {
    if (scope.length === 0) throw invalidScope("an empty string");
    return digest(`s${scope}`, DEFAULT_DIGEST_BYTES);
  }
  if (scope === null || typeof scope !== "object") throw invalidScope(typeof scope);
  let present = 0;
  for (const part of ["user", "tenant", "session", "client"] as const) {
    const value = scope[part];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.length === 0)
      throw invalidScope(`${part} = ${JSON.stringify(value)}`);
    present++;
  }
  if (present === 0) throw invalidScope("an object with no user, tenant, session or client");
  return digest(`o${canonicalize(scope)}`, DEFAULT_DIGEST_BYTES);
}

function invalidScope(got: string): KeyError {
  return new KeyError(
    "KEY_INVALID_SCOPE",
    `scope must be a non-empty string or an object with non-empty string user/tenant/session/client, got ${got}. ` +
      "When the caller is unknown, do not cache per-caller results.",
  );
}
