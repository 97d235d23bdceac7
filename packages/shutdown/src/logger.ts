import type { Logger } from "@mcp-persist/internal";

// The logger contract every mcp-persist package shares (cache-core's `Logger`); here entries also
// carry `phase` where one applies.
export type { Logger };

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
