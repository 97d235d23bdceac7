import { describe, type Logger } from "@mcp-persist/internal";

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
    const head = { level, time: Date.now(), name: "@mcp-persist/shutdown" };
    let text: string;
    try {
      text = JSON.stringify({ ...head, ...obj, msg }, serializeErrors);
    } catch {
      // A field JSON cannot hold (a cycle, a getter that throws): the shutdown must go on, and
      // the line still says what happened.
      text = JSON.stringify({ ...head, msg, fields: describe(obj) });
    }
    process.stderr.write(`${text}\n`);
  };
  return { debug() {}, info: write("info"), warn: write("warn"), error: write("error") };
}

// JSON.stringify drops an Error's own fields (it has no enumerable ones): keep what explains it.
// A BigInt (a value something was rejected with, say) is written as its digits.
function serializeErrors(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (!(value instanceof Error)) return value;
  const { code } = value as { code?: unknown };
  return {
    type: value.name,
    message: value.message,
    ...(code === undefined ? {} : { code }),
    stack: value.stack,
  };
}
