/**
 * The subset of a pino logger the shutdown uses, so `pino()` (or a child of it) fits as is.
 * `fields` always carries `phase` where one applies and `err` for failures.
 */
export interface ShutdownLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * Writes one JSON object per line to stderr. Never stdout: on a stdio MCP server stdout is the
 * protocol, and a stray line there breaks the client.
 */
export function createStderrLogger(): ShutdownLogger {
  const write = (level: string) => (fields: Record<string, unknown>, message: string) => {
    const line = { level, time: Date.now(), name: "@mcp-persist/shutdown", ...fields, msg: message };
    process.stderr.write(`${JSON.stringify(line, serializeErrors)}\n`);
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
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
