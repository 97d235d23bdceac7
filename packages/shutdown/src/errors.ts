import { errorFamily, PackageError } from "@mcp-persist/internal";
import type { ShutdownPhase } from "./phases";

/** Stable codes of every error this package throws or logs. Match on these, never on messages. */
export type ShutdownErrorCode = "ERR_INVALID_OPTION" | "ERR_INVALID_ARGUMENT" | "ERR_SHUTDOWN_TIMEOUT";

const PKG = "@mcp-persist/shutdown";

/**
 * Base class: `code` is stable across releases, `package` names this package, and `message`
 * starts with it and says what to do; `instanceof` holds across copies of the package (its ESM
 * and CommonJS builds side by side, or two installs).
 */
export class ShutdownError extends PackageError<ShutdownErrorCode, typeof PKG> {
  static {
    errorFamily(this, "@mcp-persist/shutdown/ShutdownError");
  }

  constructor(code: ShutdownErrorCode, message: string) {
    super(code, PKG, message);
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
