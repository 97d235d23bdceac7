/**
 * The slice of a pino logger the library uses: an object first, then an optional message.
 * A pino logger (or a child of one) fits as is.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  /** When present, consulted before building debug events that would be thrown away. */
  isLevelEnabled?(level: string): boolean;
}

function noop(): void {}

/** The default logger: drops everything. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  isLevelEnabled: () => false,
};
