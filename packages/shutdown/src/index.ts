export type { Closable, Quittable, StoreLike } from "./close-store";
export { createShutdown, type Shutdown } from "./create-shutdown";
export {
  InvalidOptionError,
  ShutdownError,
  type ShutdownErrorCode,
  ShutdownOptionError,
  ShutdownRegistrationError,
  ShutdownTimeoutError,
} from "./errors";
export type { HttpServerLike } from "./http-servers";
export type { Logger, ShutdownLogger } from "./logger";
export type { ShutdownOptions } from "./options";
export { PHASES, type ShutdownPhase } from "./phases";
export type { ShutdownHook } from "./registry";
