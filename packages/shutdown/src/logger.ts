/**
 * The logger contract every mcp-persist package shares (cache-core's `Logger`): pino's
 * `debug/info/warn/error(obj, msg?)`, so one `pino()` logger, or a child of it, fits them all.
 * `obj` carries `event`, a snake_case name to filter on, and `err`, the error itself (pino's
 * convention), on failures; here also `phase` where one applies.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  /** When present, consulted before building debug entries that would be thrown away. */
  isLevelEnabled?(level: string): boolean;
}

/** @deprecated Renamed `Logger`, the contract every mcp-persist package shares. */
export type ShutdownLogger = Logger;

/**
 * Writes one JSON object per line to stderr, from `info` up. Never stdout: on a stdio MCP server
 * stdout is the protocol, and a stray line there breaks the client.
 */
export function createStderrLogger(): Logger {
  const write = (level: string) => (obj: object, msg?: string) => {
    const line = { level, time: Date.now(), name: "@mcp-persist/shutdown", ...obj, msg };
    process.stderr.write(`${JSON.stringify(line, serializeErrors)}\n`);
  };
  return { debug() {}, info: write("info"), warn: write("warn"), error: write("error") };
}

// JSON.stringify drops an Error's own fields (it has no enumerable ones): keep what explains it.
function serializeErrors(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const { code } = value as { code?: unknown };
  return {
    type: value.name,
    message: value.message,
    ...(code === undefined ? {} : { code }),
    stack: value.stack,
  };
}
