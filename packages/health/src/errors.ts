/** Stable codes of every error this package throws or reports. Match on these, never on messages. */
export type HealthErrorCode = "ERR_INVALID_OPTION" | "ERR_HEALTH_CHECK_TIMEOUT";

const PKG = "@mcp-persist/health";
/** `Symbol.for`: the same symbol in every copy of the package, unlike the classes themselves. */
const FAMILY = Symbol.for("@mcp-persist/health/HealthError");

/**
 * Base class: `code` is stable across releases, `package` names this package, and `message`
 * starts with it and says what to do. Same shape as cache-core's `McpPersistError`; kept here
 * because this package depends on no other.
 */
export class HealthError extends Error {
  /** @internal Marks this family of classes in every copy of the package. */
  static readonly [FAMILY] = true;
  /** The npm package that raised the error: `@mcp-persist/health`. */
  readonly package = PKG;

  constructor(
    readonly code: HealthErrorCode,
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
 * A bad option, rejected by `createHealth` / `redisCheck` / `listen()` at construction, never at
 * probe time. Code `ERR_INVALID_OPTION`: the class name and code every mcp-persist package uses
 * for a bad option.
 */
export class InvalidOptionError extends HealthError {
  constructor(message: string) {
    super("ERR_INVALID_OPTION", message);
  }
}

/**
 * @deprecated Renamed `InvalidOptionError` (the same class: `instanceof` checks against either
 * name hold). This alias goes in the next major release.
 */
export const HealthOptionError = InvalidOptionError;
/** @deprecated Renamed `InvalidOptionError`. */
export type HealthOptionError = InvalidOptionError;

/**
 * A check that did not settle within its `timeoutMs`. It is the `reason` of the AbortSignal
 * the check receives, and its message is the `output` of the check's result.
 */
export class HealthCheckTimeoutError extends HealthError {
  constructor(
    readonly check: string,
    readonly timeoutMs: number,
  ) {
    super("ERR_HEALTH_CHECK_TIMEOUT", `check "${check}" timed out after ${timeoutMs} ms`);
  }
}
