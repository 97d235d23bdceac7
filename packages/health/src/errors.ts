/** Stable codes of every error this package throws or reports. */
export type HealthErrorCode = "HEALTH_INVALID_OPTION" | "HEALTH_CHECK_TIMEOUT";

/** Base class: `code` is stable across releases, `message` names the package and says what to do. */
export class HealthError extends Error {
  override readonly name: string = "HealthError";
  constructor(
    readonly code: HealthErrorCode,
    message: string,
  ) {
    super(`[@mcp-persist/health] ${message}`);
  }
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
