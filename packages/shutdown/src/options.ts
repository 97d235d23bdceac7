import { constants } from "node:os";
import { describe, ShutdownOptionError } from "./errors";
import { createStderrLogger, type ShutdownLogger } from "./logger";

export interface ShutdownOptions {
  /**
   * Signals that start the shutdown. While it runs, any of them again exits at once with
   * 128 + the signal's number (SIGINT 130, SIGTERM 143). `[]` installs no handler: only
   * `shutdown()` starts it.
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
   * Phase `drain`: how long to wait for tracked work. When it runs out, the shutdown logs how
   * much is still in flight and moves on, so transports and stores still close within
   * `timeoutMs`. `delayMs + drainTimeoutMs` must be below `timeoutMs`.
   * @default half of `timeoutMs - delayMs`
   */
  drainTimeoutMs?: number;
  /**
   * Where progress and failures go: any pino-compatible logger (`info`, `warn`, `error` taking
   * `(fields, message)`).
   * @default JSON lines on stderr
   */
  logger?: ShutdownLogger;
  /**
   * Ends the process with the shutdown's exit code. Replace it to run a shutdown in a test
   * without leaving the process.
   * @default process.exit
   */
  exit?: (code: number) => void;
}

/** The options with defaults applied, each checked. */
export type ResolvedShutdownOptions = Required<ShutdownOptions>;

export function resolveOptions(options: ShutdownOptions): ResolvedShutdownOptions {
  if (options === null || typeof options !== "object") {
    throw new ShutdownOptionError(`options must be an object, got ${describe(options)}`);
  }
  const timeoutMs = positiveMs("timeoutMs", options.timeoutMs ?? 25_000);
  const delayMs = nonNegativeMs("delayMs", options.delayMs ?? 0);
  if (delayMs >= timeoutMs) {
    throw new ShutdownOptionError(
      `delayMs (${delayMs}) must be below timeoutMs (${timeoutMs}), or nothing would be left to drain and close in`,
    );
  }
  const drainTimeoutMs = nonNegativeMs("drainTimeoutMs", options.drainTimeoutMs ?? (timeoutMs - delayMs) / 2);
  if (delayMs + drainTimeoutMs >= timeoutMs) {
    throw new ShutdownOptionError(
      `delayMs + drainTimeoutMs (${delayMs + drainTimeoutMs}) must be below timeoutMs (${timeoutMs}), ` +
        `so transports and stores still get time to close; lower drainTimeoutMs or raise timeoutMs`,
    );
  }
  return {
    signals: signalList(options.signals ?? ["SIGTERM", "SIGINT"]),
    stdin: boolean("stdin", options.stdin ?? false),
    timeoutMs,
    delayMs,
    drainTimeoutMs,
    logger: logger(options.logger ?? createStderrLogger()),
    exit: exitFunction(options.exit ?? ((code: number) => process.exit(code))),
  };
}

function positiveMs(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ShutdownOptionError(
      `${option} must be a positive finite number of milliseconds, got ${describe(value)}`,
    );
  }
  return value;
}

function nonNegativeMs(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ShutdownOptionError(
      `${option} must be zero or a positive finite number of milliseconds, got ${describe(value)}`,
    );
  }
  return value;
}

function signalList(value: unknown): readonly NodeJS.Signals[] {
  if (!Array.isArray(value)) {
    throw new ShutdownOptionError(`signals must be an array of signal names, got ${describe(value)}`);
  }
  for (const signal of value) {
    if (typeof signal !== "string" || !Object.hasOwn(constants.signals, signal)) {
      throw new ShutdownOptionError(`signals: ${describe(signal)} is not a signal name like "SIGTERM"`);
    }
  }
  return [...new Set(value as NodeJS.Signals[])];
}

function boolean(option: string, value: unknown): boolean {
  if (typeof value !== "boolean")
    throw new ShutdownOptionError(`${option} must be a boolean, got ${describe(value)}`);
  return value;
}

function logger(value: unknown): ShutdownLogger {
  const candidate = value as Partial<ShutdownLogger> | null;
  const missing = ["info", "warn", "error"].filter(
    (level) => typeof candidate?.[level as keyof ShutdownLogger] !== "function",
  );
  if (missing.length > 0) {
    throw new ShutdownOptionError(
      `logger must have info, warn and error methods (a pino logger fits); missing ${missing.join(", ")}`,
    );
  }
  return value as ShutdownLogger;
}

function exitFunction(value: unknown): (code: number) => void {
  if (typeof value !== "function") {
    throw new ShutdownOptionError(`exit must be a function taking the exit code, got ${describe(value)}`);
  }
  return value as (code: number) => void;
}
