import { errorFamily, PackageError } from "@mcp-persist/internal";

/** Stable codes of every error this package throws or reports. Match on these, never on messages. */
export type HealthErrorCode = "ERR_INVALID_OPTION" | "ERR_HEALTH_CHECK_TIMEOUT";

const PKG = "@mcp-persist/health";

/**
 * Base class: `code` is stable across releases, `package` names this package, and `message`
 * starts with it and says what to do; `instanceof` holds across copies of the package (its ESM
 * and CommonJS builds side by side, or two installs).
 */
export class HealthError extends PackageError<HealthErrorCode, typeof PKG> {
  static {
    errorFamily(this, "@mcp-persist/health/HealthError");
  }

  constructor(code: HealthErrorCode, message: string) {
    super(code, PKG, message);
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
