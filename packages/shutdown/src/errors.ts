import type { ShutdownPhase } from "./phases";

/** Stable codes of every error this package throws or logs. Match on these, never on messages. */
export type ShutdownErrorCode =
  | "SHUTDOWN_INVALID_OPTION"
  | "SHUTDOWN_INVALID_REGISTRATION"
  | "SHUTDOWN_TIMEOUT";

/** Base class: `code` is stable across releases, `message` names the package and says what to do. */
export class ShutdownError extends Error {
  override readonly name: string = "ShutdownError";
  constructor(
    readonly code: ShutdownErrorCode,
    message: string,
  ) {
    super(`[@mcp-persist/shutdown] ${message}`);
  }
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

/** Renders an offending value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object")
    return `an object with keys [${Object.keys(value).join(", ")}]`;
  return String(value);
}
