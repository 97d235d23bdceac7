import type { Logger } from "@mcp-persist/internal";

// The logger contract every mcp-persist package shares: pino's `debug/info/warn/error(obj, msg?)`.
export type { Logger };

function noop(): void {}

/** The default logger: drops everything. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  isLevelEnabled: () => false,
};
