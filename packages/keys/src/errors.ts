import { errorFamily, PackageError } from "@mcp-persist/internal";
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

/**
 * Thrown for input that cannot become a key: cyclic or non-serialisable arguments, oversized
 * values, bad segments or options. Bad input is a caller bug, so it is reported at the boundary
 * instead of producing a key that could collide with another call's. It is the only error family
 * the functions of this package throw, so a cache can safely bypass whatever it cannot key.
 *
 * Same shape as every mcp-persist error (`code`, `package`, message `[package] …`), and
 * `instanceof` holds across copies of the package (its ESM and CommonJS builds side by side).
 */
export class KeyError extends PackageError<KeyErrorCode, typeof PKG> {
  static {
    errorFamily(this, "@mcp-persist/keys/KeyError");
  }

  /** Where in the value the problem is, e.g. `["filters", 2]`; empty for the value itself. */
  readonly path: readonly (string | number)[];

  constructor(
    code: KeyErrorCode,
    message: string,
    path: readonly (string | number)[] = [],
    options?: ErrorOptions,
  ) {
    super(code, PKG, message, options);
    this.path = path;
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
