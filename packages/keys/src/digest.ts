import { hash } from "node:crypto";
import { type CanonicalizeOptions, canonicalize } from "./canonicalize";
import { describeValue } from "./describe-value";
import { InvalidOptionError, KeyError } from "./errors";
import { isWellFormed, wtf8 } from "./wtf8";

/** 16 bytes (128 bits): collisions need ~2^64 keys, far beyond any cache. */
export const DEFAULT_DIGEST_BYTES = 16;

/**
 * SHA-256 of `input` as lower-case hex, truncated to `bytes` bytes. SHA-256 and not a fast hash:
 * untrusted tool arguments must not be able to steer two calls onto one cache key. The input is
 * hashed as UTF-8, extended to lone surrogates (WTF-8), so `"a\uD83D"` and `"a\uFFFD"` differ.
 * @param bytes 8 to 32. @default 16 (32 hex characters)
 * @throws {KeyError} `ERR_KEY_UNSUPPORTED_TYPE` for a non-string input, `ERR_INVALID_OPTION` for bad `bytes`.
 */
export function digest(input: string, bytes: number = DEFAULT_DIGEST_BYTES): string {
  if (typeof input !== "string") {
    throw new KeyError("ERR_KEY_UNSUPPORTED_TYPE", `digest() takes a string, got ${describeValue(input)}`);
  }
  if (!Number.isInteger(bytes) || bytes < 8 || bytes > 32) {
    throw new InvalidOptionError(`digest bytes must be an integer from 8 to 32, got ${describeValue(bytes)}`);
  }
  // crypto.hash is one call with no Hash object: several times cheaper than createHash for small
  // inputs. Given a string it would replace lone surrogates with U+FFFD, hence WTF-8 for those.
  const hex = hash("sha256", isWellFormed(input) ? input : wtf8(input), "hex");
  return bytes === 32 ? hex : hex.slice(0, bytes * 2);
}

export interface ArgsDigestOptions extends CanonicalizeOptions {
  /** Digest length in bytes, 8 to 32. @default 16 */
  digestBytes?: number;
}

/** The digest of a value's canonical form: what goes into a cache key for a tool's arguments. */
export function argsDigest(args: unknown, options?: ArgsDigestOptions): string {
  return digest(canonicalize(args, options), options?.digestBytes);
}
