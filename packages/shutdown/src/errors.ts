import type { ShutdownPhase } from "./phases";

/** Stable codes of every error this package throws or logs. Match on these, never on messages. */
export type ShutdownErrorCode = "ERR_INVALID_OPTION" | "ERR_INVALID_ARGUMENT" | "ERR_SHUTDOWN_TIMEOUT";

const PKG = "@mcp-persist/shutdown";
/** `Symbol.for`: the same symbol in every copy of the package, unlike the classes themselves. */
const FAMILY = Symbol.for("@mcp-persist/shutdown/ShutdownError");

/**
 * Base class: `code` is stable across releases, `package` names this package, and `message`
 * starts with it and says what to do. Same shape as cache-core's `McpPersistError`; kept here
 * because this package depends on no other.
 */
export class ShutdownError extends Error {
  /** @internal Marks this family of classes in every copy of the package. */
  static readonly [FAMILY] = true;
  /** The npm package that raised the error: `@mcp-persist/shutdown`. */
  readonly package = PKG;

  constructor(
    readonly code: ShutdownErrorCode,
    message: string,
  ) {
    super(`[${PKG}] ${message}`);
    this.name = new.target.name;
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
 * A bad or unknown option to `createShutdown`, rejected at construction rather than at the first
 * signal. Code `ERR_INVALID_OPTION`: the class name and code every mcp-persist package uses for a
 * bad option.
 */
export class InvalidOptionError extends ShutdownError {
  constructor(message: string) {
    super("ERR_INVALID_OPTION", message);
  }
}

/**
 * @deprecated Renamed `InvalidOptionError` (the same class: `instanceof` checks against either
 * name hold). This alias goes in the next major release.
 */
export const ShutdownOptionError = InvalidOptionError;
/** @deprecated Renamed `InvalidOptionError`. */
export type ShutdownOptionError = InvalidOptionError;

/**
 * Something handed to `addServer`, `addTransport`, `addStore` or `on` that the shutdown could
 * not close or call. Thrown when it is registered, so the mistake shows at startup. Code
 * `ERR_INVALID_ARGUMENT`, the code mcp-persist gives a bad argument to a function.
 */
export class ShutdownRegistrationError extends ShutdownError {
  constructor(message: string) {
    super("ERR_INVALID_ARGUMENT", message);
  }
}

/** Logged (never thrown) when `timeoutMs` ran out: the process then exits with code 1. */
export class ShutdownTimeoutError extends ShutdownError {
  constructor(
    readonly phase: ShutdownPhase,
    readonly timeoutMs: number,
  ) {
    super(
      "ERR_SHUTDOWN_TIMEOUT",
      `shutdown did not finish within timeoutMs (${timeoutMs} ms): phase "${phase}" hung. ` +
        `Find what it waits for (a hook, a transport or store close that never settles), or raise timeoutMs`,
    );
  }
}

/**
 * Renders an offending value for an error message. Never throws, whatever it is handed (a BigInt,
 * a symbol, `Object.create(null)`, a revoked Proxy): a bad option must end in the error that
 * explains it, not in a TypeError from building that error. A short cousin of `describeValue`
 * in `@mcp-persist/keys`, which this package does not depend on.
 */
export function describe(value: unknown): string {
  try {
    if (typeof value === "string")
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
    if (typeof value === "function") return "a function";
    if (typeof value !== "object" || value === null)
      return typeof value === "bigint" ? `${value}n` : String(value);
    return Array.isArray(value) ? "an array" : `an object with keys [${Object.keys(value).join(", ")}]`;
  } catch {
    return `an unprintable ${typeof value}`;
  }
}
