/** Stable codes of every error this package throws or reports. */
export type HealthErrorCode = "HEALTH_INVALID_OPTION" | "HEALTH_CHECK_TIMEOUT";

/** `Symbol.for`: the same symbol in every copy of the package, unlike the classes themselves. */
const ERROR_FAMILY = Symbol.for("@mcp-persist/health/HealthError");

/** Base class: `code` is stable across releases, `message` names the package and says what to do. */
export class HealthError extends Error {
  /** @internal Marks this family of classes in every copy of the package. */
  static readonly [ERROR_FAMILY] = true;
  override readonly name: string = "HealthError";
  constructor(
    readonly code: HealthErrorCode,
    message: string,
  ) {
    super(`[@mcp-persist/health] ${message}`);
  }

  /**
   * `instanceof` that also holds across copies of this package: its ESM and CommonJS builds
   * loaded side by side (one dependency `import`s it, another `require`s it) or two installs.
   * `error instanceof HealthCheckTimeoutError` is true when the error's prototype chain holds that class, or a
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

/** A bad option, rejected by `createHealth` / `redisCheck` at construction, never at probe time. */
export class HealthOptionError extends HealthError {
  override readonly name = "HealthOptionError";
  constructor(message: string) {
    super("HEALTH_INVALID_OPTION", message);
  }
}

/**
 * A check that did not settle within its `timeoutMs`. It is the `reason` of the AbortSignal
 * the check receives, and its message is the `output` of the check's result.
 */
export class HealthCheckTimeoutError extends HealthError {
  override readonly name = "HealthCheckTimeoutError";
  constructor(
    readonly check: string,
    readonly timeoutMs: number,
  ) {
    super("HEALTH_CHECK_TIMEOUT", `check "${check}" timed out after ${timeoutMs} ms`);
  }
}
