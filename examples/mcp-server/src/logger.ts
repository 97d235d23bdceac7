/**
 * A pino-shaped logger writing one JSON object per line to stderr: on stdio, stdout is the
 * protocol. Every mcp-persist package takes this shape, so `pino({}, pino.destination(2))` can
 * replace it as it stands.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    return { type: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  return value;
}

export function stderrLogger(name: string, minLevel: keyof typeof LEVELS = "info"): Logger {
  const write = (level: keyof typeof LEVELS) => (obj: object, msg?: string) => {
    if (LEVELS[level] < LEVELS[minLevel]) return;
    const fields = Object.fromEntries(Object.entries(obj).map(([key, value]) => [key, serialise(value)]));
    process.stderr.write(`${JSON.stringify({ level, time: Date.now(), name, ...fields, msg })}\n`);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
