import { inspect } from "node:util";
import type { Logger } from "@mcp-persist/cache-core";

/** One call to a {@link captureLogger}: its level and every argument, as given. */
export interface LogRecord {
  level: string;
  args: unknown[];
}

/**
 * A pino-shaped logger that keeps everything it is given, at every level (debug included:
 * `isLevelEnabled` says yes), so a test can search what a real logger would have written.
 */
export function captureLogger(): { logger: Logger; records: LogRecord[]; text(): string } {
  const records: LogRecord[] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) => {
      records.push({ level, args });
    };
  const logger: Logger & {
    child(): Logger;
    trace(...args: unknown[]): void;
    fatal(...args: unknown[]): void;
  } = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    trace: at("trace"),
    fatal: at("fatal"),
    isLevelEnabled: () => true,
    child: () => logger,
  };
  return {
    logger,
    records,
    /**
     * Everything recorded, as a serialiser that missed nothing would write it: objects at any
     * depth, errors with their message, stack, `cause` and own fields, strings in full.
     */
    text: () =>
      records
        .map((record) =>
          inspect(record.args, {
            depth: Number.POSITIVE_INFINITY,
            maxStringLength: Number.POSITIVE_INFINITY,
            maxArrayLength: Number.POSITIVE_INFINITY,
            breakLength: Number.POSITIVE_INFINITY,
            showHidden: true,
          }),
        )
        .join("\n"),
  };
}
