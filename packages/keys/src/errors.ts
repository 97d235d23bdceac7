import { describeValue } from "./describe-value";

/** Why a key could not be built. Stable: match on `code`, never on the message. */
export type KeyErrorCode =
  | "ERR_KEY_CYCLE"
  | "ERR_KEY_UNSUPPORTED_TYPE"
  | "ERR_KEY_TOO_LARGE"
  | "ERR_KEY_TOO_DEEP"
  | "ERR_KEY_INVALID_SEGMENT"
  | "ERR_KEY_INVALID_SCOPE"
  | "ERR_INVALID_OPTION";

const PKG = "@mcp-persist/keys";
/** `Symbol.for`: the same symbol in every copy of the package, unlike the classes themselves. */
const FAMILY = Symbol.for("@mcp-persist/keys/KeyError");

/**
 * Thrown for input that cannot become a key: cyclic or non-serialisable arguments, oversized
 * values, bad segments or options. Bad input is a caller bug, so it is reported at the boundary
 * instead of producing a key that could collide with another call's. It is the only error family
 * the functions of this package throw, so a cache can safely bypass whatever it cannot key.
 *
 * Same shape as cache-core's `McpPersistError` (`code`, `package`, message `[package] …`); kept
 * here because this package depends on no other.
 */
export class KeyError extends Error {
  /** @internal Marks this family of classes in every copy of the package. */
  static readonly [FAMILY] = true;
  /** Stable, documented identifier, e.g. `ERR_KEY_TOO_LARGE`. */
  readonly code: KeyErrorCode;
  /** The npm package that raised the error: `@mcp-persist/keys`. */
  readonly package = PKG;
  /** Where in the value the problem is, e.g. `["filters", 2]`; empty for the value itself. */
  readonly path: readonly (string | number)[];

  constructor(
    code: KeyErrorCode,
    message: string,
    path: readonly (string | number)[] = [],
    options?: ErrorOptions,
  ) {
    super(`[${PKG}] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
    this.path = path;
  }

  /**
   * `instanceof` that also holds across copies of this package (its ESM and CommonJS builds side
   * by side, or two installs): this class, or a namesake marked with the family brand, is on the
   * value's prototype chain. The same test as cache-core's `McpPersistError`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    for (
      let p = value == null ? null : Object.getPrototypeOf(value);
      p !== null;
      p = Object.getPrototypeOf(p)
    ) {
      const ctor = Object.hasOwn(p, "constructor") ? p.constructor : undefined;
      if (p === this.prototype || (ctor?.[FAMILY] === true && ctor.name === this.name)) return true;
    }
    return false;
  }
}

/**
 * An option outside its documented range, or options that are not an object (`digest` bytes,
 * `maxLength`, `maxDepth`, `toolKey(null)`). Code `ERR_INVALID_OPTION`, the code every
 * mcp-persist package gives a bad option. A `KeyError`, so a cache bypasses it like any other.
 */
export class InvalidOptionError extends KeyError {
  constructor(message: string) {
    super("ERR_INVALID_OPTION", message);
  }
}

/** Renders a value path the way a developer would write it: `args.filters[2].name`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "args";
  for (const step of path) {
    out +=
      typeof step === "number"
        ? `[${step}]`
        : /^[A-Za-z_$][\w$]{0,59}$/.test(step)
          ? `.${step}`
          : `[${describeValue(step)}]`; // quoted, and cut when long: the full key is in `path`
  }
  return out;
}
