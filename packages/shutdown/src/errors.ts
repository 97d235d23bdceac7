import type { ShutdownPhase } from "./phases";

/** Stable codes of every error this package throws or logs. Match on these, never on messages. */
export type ShutdownErrorCode =
  | "SHUTDOWN_INVALID_OPTION"
  | "SHUTDOWN_INVALID_REGISTRATION"
  | "SHUTDOWN_TIMEOUT";

/** `Symbol.for`: the same symbol in every copy of the package, unlike the classes themselves. */
const ERROR_FAMILY = Symbol.for("@mcp-persist/shutdown/ShutdownError");

/** Base class: `code` is stable across releases, `message` names the package and says what to do. */
export class ShutdownError extends Error {
  /** @internal Marks this family of classes in every copy of the package. */
  static readonly [ERROR_FAMILY] = true;
  override readonly name: string = "ShutdownError";
  constructor(
    readonly code: ShutdownErrorCode,
    message: string,
  ) {
    super(`[@mcp-persist/shutdown] ${message}`);
  }

  /**
   * `instanceof` that also holds across copies of this package: its ESM and CommonJS builds
   * loaded side by side (one dependency `import`s it, another `require`s it) or two installs.
   * `error instanceof ShutdownTimeoutError` is true when the error's prototype chain holds that class, or a
   * class of the same name from this family; unrelated classes never match.
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

/** A bad option to `createShutdown`, rejected at construction rather than at the first signal. */
export class ShutdownOptionError extends ShutdownError {
  override readonly name = "ShutdownOptionError";
  constructor(message: string) {
    super("SHUTDOWN_INVALID_OPTION", message);
  }
}

/**
 * Something handed to `addServer`, `addTransport`, `addStore` or `on` that the shutdown could
 * not close or call. Thrown when it is registered, so the mistake shows at startup.
 */
export class ShutdownRegistrationError extends ShutdownError {
  override readonly name = "ShutdownRegistrationError";
  constructor(message: string) {
    super("SHUTDOWN_INVALID_REGISTRATION", message);
  }
}

/** Logged (never thrown) when `timeoutMs` ran out: the process then exits with code 1. */
export class ShutdownTimeoutError extends ShutdownError {
  override readonly name = "ShutdownTimeoutError";
  constructor(
    readonly phase: ShutdownPhase,
    readonly timeoutMs: number,
  ) {
    super(
      "SHUTDOWN_TIMEOUT",
      `shutdown did not finish within timeoutMs (${timeoutMs} ms): phase "${phase}" hung. ` +
        `Find what it waits for (a hook, a transport or store close that never settles), or raise timeoutMs`,
    );
  }
}

/**
 * Renders an offending value for an error message. Never throws, whatever it is handed
 * (a BigInt, a symbol, `Object.create(null)`, a revoked Proxy): a bad option must end in the
 * error that explains it, not in a TypeError from building that error.
 */
export function describe(value: unknown): string {
  try {
    switch (typeof value) {
      case "string":
        return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
      case "bigint":
        return `${value}n`;
      case "symbol":
        return value.toString();
      case "function":
        return "a function";
      case "object":
        if (value === null) return "null";
        if (Array.isArray(value)) return "an array";
        return `an object with keys [${Object.keys(value).join(", ")}]`;
      default:
        return String(value);
    }
  } catch {
    return `an unprintable ${typeof value}`;
  }
}
