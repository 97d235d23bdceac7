import { describeValue } from "./describe-value";

/** Why a key could not be built. Stable: match on `code`, never on the message. */
export type KeyErrorCode =
  | "KEY_CYCLE"
  | "KEY_UNSUPPORTED_TYPE"
  | "KEY_TOO_LARGE"
  | "KEY_TOO_DEEP"
  | "KEY_INVALID_SEGMENT"
  | "KEY_INVALID_SCOPE"
  | "KEY_INVALID_OPTION";

/** `Symbol.for`: the same symbol in every copy of the package, unlike the classes themselves. */
const ERROR_FAMILY = Symbol.for("@mcp-persist/keys/KeyError");

/**
 * Thrown for input that cannot become a key: cyclic or non-serialisable arguments, oversized
 * values, bad segments or options. Bad input is a caller bug, so it is reported at the boundary
 * instead of producing a key that could collide with another call's. It is the only error the
 * functions of this package throw, so a cache can safely bypass whatever it cannot key.
 */
export class KeyError extends Error {
  /** @internal Marks this family of classes in every copy of the package. */
  static readonly [ERROR_FAMILY] = true;
  override readonly name = "KeyError";
  readonly code: KeyErrorCode;
  /** Where in the value the problem is, e.g. `["filters", 2]`; empty for the value itself. */
  readonly path: readonly (string | number)[];

  constructor(
    code: KeyErrorCode,
    message: string,
    path: readonly (string | number)[] = [],
    options?: ErrorOptions,
  ) {
    super(`[@mcp-persist/keys] ${message}`, options);
    this.code = code;
    this.path = path;
  }

  /**
   * `instanceof` that also holds across copies of this package: its ESM and CommonJS builds
   * loaded side by side (one dependency `import`s it, another `require`s it) or two installs.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceAcrossCopies(this, value, ERROR_FAMILY);
  }
}

/** Is `cls`, or its namesake from another copy of the package (marked `family`), on `value`'s chain? */
function isInstanceAcrossCopies(
  cls: { name: string; prototype: unknown },
  value: unknown,
  family: symbol,
): boolean {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (proto === cls.prototype) return true;
    const ctor: unknown = Object.hasOwn(proto, "constructor") ? proto.constructor : undefined;
    if (typeof ctor === "function" && Reflect.get(ctor, family) === true && ctor.name === cls.name) {
      return true;
    }
  }
  return false;
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
