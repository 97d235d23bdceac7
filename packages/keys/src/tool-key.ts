import { warnDeprecated } from "@mcp-persist/internal";
import { canonicalize } from "./canonicalize";
import { describeValue } from "./describe-value";
import { argsDigest, DEFAULT_DIGEST_BYTES, digest } from "./digest";
import { InvalidOptionError, KeyError } from "./errors";
import { keySegment, MAX_SEGMENT_LENGTH } from "./segment";

/**
 * Who is calling: the one identity the cache keys per-caller results on and the rate limiter
 * counts per-caller limits by. Tools whose results depend on the caller must be keyed on it, or
 * one user sees another's data. A string is an opaque identity; the object form names its parts.
 */
export type Caller = string | { user?: string; tenant?: string; session?: string; client?: string };

/** @deprecated Renamed {@link Caller} (the same type); removed in the next major. */
export type CallerScope = Caller;

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
  /** Who is calling, hashed into the key. Omit only for results that are the same for everyone. */
  caller?: Caller;
  /**
   * @deprecated Renamed `caller` (same value, same key: a deployed cache keeps hitting). Still
   * honoured, with a one-time DeprecationWarning, until the next major.
   */
  scope?: Caller;
  /**
   * Wrap the caller digest in a Redis Cluster hash tag (`{…}`) so one caller's keys share a slot,
   * and multi-key scripts over them stay legal. Without a caller there is nothing to tag.
   * @default false
   */
  hashTag?: boolean;
  /** Bytes of SHA-256 kept for the argument digest, 8 to 32. @default 16 */
  digestBytes?: number;
  /** Largest canonical form of `args` accepted, in characters. @default 1_000_000 */
  maxArgsLength?: number;
}

/** The segment standing for "no caller": never a hex digest, so it cannot collide with one. */
export const SHARED_CALLER = "_";

/** @deprecated Renamed {@link SHARED_CALLER} (the same `_`); removed in the next major. */
export const SHARED_SCOPE = SHARED_CALLER;

const PKG = "@mcp-persist/keys";

/** Bytes of SHA-256 kept for a caller: 32 hex characters, whatever `digestBytes` is. */
const CALLER_DIGEST_BYTES = DEFAULT_DIGEST_BYTES;

/**
 * The longest key `toolKey` can return, in characters: 402. Namespace, tool and version at
 * `MAX_SEGMENT_LENGTH` (100) with their `:` (3 × 101), a hash-tagged caller digest (`{` 32 hex `}`)
 * and its `:`, then the argument digest at `digestBytes: 32` (64 hex). With the default 16-byte
 * digest the bound is 370. Every character is ASCII, so it is also the length in bytes.
 */
export const MAX_TOOL_KEY_LENGTH = 3 * (MAX_SEGMENT_LENGTH + 1) + (2 * CALLER_DIGEST_BYTES + 2) + 1 + 2 * 32;

/**
 * The cache key of one tool call: `mcp:search_docs:v1:<caller>:<args digest>`, where `<caller>` is
 * a digest of the caller identity (or `_` when shared). The readable prefix lets a whole tool or
 * namespace be found and invalidated; the length is at most `MAX_TOOL_KEY_LENGTH`, whatever the
 * arguments and names.
 * @throws {KeyError} for bad arguments, segments (a missing `tool` included), caller or options.
 */
export function toolKey(options: ToolKeyOptions): string {
  checkOptions(options, "toolKey", "{ tool, args, caller? }");
  if (options.tool === undefined) {
    throw new KeyError(
      "ERR_KEY_INVALID_SEGMENT",
      "toolKey() needs a tool name: pass { tool, args }, or use toolPrefix() for a namespace prefix",
    );
  }
  const args = argsDigest(options.args, {
    digestBytes: options.digestBytes,
    maxLength: options.maxArgsLength,
  });
  const caller = callerOf(options);
  let who = SHARED_CALLER;
  if (caller !== undefined) {
    who = callerDigest(caller);
    if (options.hashTag) who = `{${who}}`;
  }
  return `${toolPrefix(options)}${who}:${args}`;
}

/** `caller`, or its deprecated name `scope`; both at once is a mistake, not a precedence rule. */
function callerOf(options: ToolKeyOptions): Caller | undefined {
  if (options.scope === undefined) return options.caller;
  if (options.caller !== undefined) {
    throw new InvalidOptionError(
      "toolKey() takes caller or its deprecated name scope, not both: pass caller only",
    );
  }
  warnDeprecated(PKG, "toolKey({ scope })", "toolKey({ caller })");
  return options.scope;
}

/**
 * The readable head of keys: `mcp:` for a namespace, `mcp:search_docs:v1:` for a tool.
 * Ends with `:` so one tool's prefix is never the prefix of another tool's keys.
 * @throws {KeyError} for a bad segment or options that are not an object.
 */
export function toolPrefix(options: ToolPrefixOptions = {}): string {
  checkOptions(options, "toolPrefix", "{ namespace?, tool?, version? }");
  const namespace = `${keySegment(options.namespace ?? "mcp")}:`;
  if (options.tool === undefined) return namespace;
  return `${namespace}${keySegment(options.tool)}:${keySegment(options.version ?? "v1")}:`;
}

/**
 * Digest of a caller identity (32 hex): what keys carry instead of the identity in clear. A string
 * and an object naming the same string differ on purpose. The digest input is the layout every
 * deployed key was built with (`s…` / `o…`): changing it would turn every cached entry into a miss.
 * @throws {KeyError} `ERR_KEY_INVALID_SCOPE` for an empty or malformed caller.
 */
export function callerDigest(caller: Caller): string {
  if (typeof caller === "string") {
    if (caller.length === 0) throw invalidCaller("an empty string");
    return digest(`s${caller}`, CALLER_DIGEST_BYTES);
  }
  if (caller === null || typeof caller !== "object") throw invalidCaller(describeValue(caller));
  let present = 0;
  for (const part of ["user", "tenant", "session", "client"] as const) {
    const value = caller[part];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.length === 0)
      throw invalidCaller(`${part} = ${describeValue(value)}`);
    present++;
  }
  if (present === 0) throw invalidCaller("an object with no user, tenant, session or client");
  return digest(`o${canonicalize(caller)}`, CALLER_DIGEST_BYTES);
}

/**
 * @deprecated Renamed {@link callerDigest} (same digest); still works, with a one-time
 * DeprecationWarning, until the next major.
 */
export function scopeDigest(scope: Caller): string {
  warnDeprecated(PKG, "scopeDigest()", "callerDigest()");
  return callerDigest(scope);
}

function invalidCaller(got: string): KeyError {
  // The code keeps its released name: applications match on it.
  return new KeyError(
    "ERR_KEY_INVALID_SCOPE",
    `caller must be a non-empty string or an object with non-empty string user/tenant/session/client, got ${got}. ` +
      "When the caller is unknown, do not cache per-caller results.",
  );
}

function checkOptions(options: unknown, fn: string, shape: string): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError(`${fn}() takes an options object ${shape}, got ${describeValue(options)}`);
  }
}
