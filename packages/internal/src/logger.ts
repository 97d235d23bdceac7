/**
 * The logger contract every mcp-persist package shares: the slice of a pino logger the packages
 * use, `debug/info/warn/error(obj, msg?)`, so one `pino()` logger, or a child of it, fits them all.
 * `obj` carries `event`, a snake_case name to filter on, and `err`, the error itself (pino's
 * convention), on failures.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  /** When present, consulted before building debug entries that would be thrown away. */
  isLevelEnabled?(level: string): boolean;
}
