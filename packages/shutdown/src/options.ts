import { constants } from "node:os";
import {
  booleanCheck,
  describe,
  given,
  knownOptions,
  optionNames,
  timerMsChecks,
} from "@mcp-persist/internal";
import { InvalidOptionError } from "./errors";
import { createStderrLogger, type Logger } from "./logger";

export interface ShutdownOptions {
  /**
   * Signals that start the shutdown. While it runs, any of them again exits at once with
   * 128 + the signal's number (SIGINT 130, SIGTERM 143). `[]` installs no handler: only
   * `shutdown()` starts it. SIGKILL and SIGSTOP cannot be caught and are refused.
   * @default ["SIGTERM", "SIGINT"]
   */
  signals?: readonly NodeJS.Signals[];
  /**
   * Also start the shutdown when stdin ends: the client of a stdio MCP server closed the pipe.
   * It fires only while something reads stdin (the SDK's `StdioServerTransport` does).
   * @default false
   */
  stdin?: boolean;
  /**
   * The budget of the whole shutdown, in ms. When it runs out, the process exits with code 1
   * and the log names the phase that hung. Keep it under the platform's kill deadline
   * (Kubernetes `terminationGracePeriodSeconds`, 30 s by default, counts the preStop hook too).
   * At most 2147483647 ms (about 24.8 days), the longest delay Node's timers hold.
   * @default 25000
   */
  timeoutMs?: number;
  /**
   * Phase `delay`: how long to keep serving after readiness fails, so load balancers and
   * Kubernetes endpoints stop routing here before the listeners close. Must be below `timeoutMs`.
   * @default 0
   */
  delayMs?: number;
  /**
   * Phase `drain`: how long to wait for the registered servers' requests in flight and the work
   * counted with `enter()` / `track()`. When it runs out, the shutdown logs how
   * much is still in flight and moves on, so transports and stores still close within
   * `timeoutMs`. `delayMs + drainTimeoutMs` must be below `timeoutMs`.
   * @default half of `timeoutMs - delayMs`
   */
  drainTimeoutMs?: number;
  /**
   * Where progress and failures go: the logger contract every mcp-persist package shares, pino's
   * `debug/info/warn/error(obj, msg?)`, so one `pino()` logger (or a child) fits them all.
   * Entries carry `event` (a snake_case name), `phase` where one applies, and `err` on failures.
   * @default JSON lines on stderr, from info up
   */
  logger?: Logger;
  /**
   * Ends the process with the shutdown's exit code. Replace it to run a shutdown in a test
   * without leaving the process.
   * @default process.exit
   */
  exit?: (code: number) => void;
}

/** The options with defaults applied, each checked. */
export type ResolvedShutdownOptions = Required<ShutdownOptions>;

// A misspelt option would otherwise fall back to its default without a word.
const knownNames = knownOptions(
  (message) => new InvalidOptionError(message),
  optionNames<ShutdownOptions>({
    signals: true,
    stdin: true,
    timeoutMs: true,
    delayMs: true,
    drainTimeoutMs: true,
    logger: true,
    exit: true,
  }),
);

// Capped at what Node's timers hold: a 30-day timeoutMs would otherwise end the shutdown at once.
const { positiveMs, nonNegativeMs } = timerMsChecks(InvalidOptionError);
const boolean = booleanCheck((message) => new InvalidOptionError(message));

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

// Their handlers cannot be installed (process.on throws EINVAL): the kernel never lets a
// process catch them.
const UNCATCHABLE_SIGNALS: readonly string[] = ["SIGKILL", "SIGSTOP"];

export function resolveOptions(options: ShutdownOptions): ResolvedShutdownOptions {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(`options must be an object, got ${describe(options)}`);
  }
  knownNames(options);
  const timeoutMs = positiveMs("timeoutMs", given(options.timeoutMs, 25_000));
  const delayMs = nonNegativeMs("delayMs", given(options.delayMs, 0));
  if (delayMs >= timeoutMs) {
    throw new InvalidOptionError(
      `delayMs (${delayMs}) must be below timeoutMs (${timeoutMs}), or nothing would be left to drain and close in`,
    );
  }
  const drainTimeoutMs = nonNegativeMs(
    "drainTimeoutMs",
    given(options.drainTimeoutMs, (timeoutMs - delayMs) / 2),
  );
  if (delayMs + drainTimeoutMs >= timeoutMs) {
    throw new InvalidOptionError(
      `delayMs + drainTimeoutMs (${delayMs + drainTimeoutMs}) must be below timeoutMs (${timeoutMs}), ` +
        `so transports and stores still get time to close; lower drainTimeoutMs or raise timeoutMs`,
    );
  }
  return {
    signals: signalList(given(options.signals, ["SIGTERM", "SIGINT"])),
    stdin: boolean("stdin", given(options.stdin, false)),
    timeoutMs,
    delayMs,
    drainTimeoutMs,
    logger: logger(given(options.logger, createStderrLogger())),
    exit: exitFunction(given(options.exit, (code: number) => process.exit(code))),
  };
}

function signalList(value: unknown): readonly NodeJS.Signals[] {
  if (!Array.isArray(value)) {
    throw new InvalidOptionError(`signals must be an array of signal names, got ${describe(value)}`);
  }
  for (const signal of value) {
    if (typeof signal !== "string" || !Object.hasOwn(constants.signals, signal)) {
      throw new InvalidOptionError(`signals: ${describe(signal)} is not a signal name like "SIGTERM"`);
    }
    if (UNCATCHABLE_SIGNALS.includes(signal)) {
      throw new InvalidOptionError(
        `signals: ${signal} cannot be caught by any process, so it cannot start a shutdown; use SIGTERM or SIGINT`,
      );
    }
  }
  return [...new Set(value as NodeJS.Signals[])];
}

function logger(value: unknown): Logger {
  const candidate = value as Partial<Logger> | null;
  const missing = LOG_LEVELS.filter((level) => typeof candidate?.[level] !== "function");
  if (missing.length > 0) {
    throw new InvalidOptionError(
      `logger must have debug, info, warn and error methods taking (obj, msg?) (a pino logger fits); missing ${missing.join(", ")}`,
    );
  }
  return value as Logger;
}

function exitFunction(value: unknown): (code: number) => void {
  if (typeof value !== "function") {
    throw new InvalidOptionError(`exit must be a function taking the exit code, got ${describe(value)}`);
  }
  return value as (code: number) => void;
}
