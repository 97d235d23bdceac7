import { createShutdown, type Shutdown, type ShutdownOptions } from "@mcp-persist/shutdown";

/** A logged line: the level, the fields and the message in one object. */
export type Logged = Record<string, unknown> & { level: string; msg: string };

export interface InProcessShutdown {
  shutdown: Shutdown;
  /** Exit codes passed to `exit`, which here only records them. */
  exits: number[];
  logged: Logged[];
}

/** A shutdown that runs inside the test process: no signal handlers, an `exit` that records. */
export function inProcessShutdown(options: ShutdownOptions = {}): InProcessShutdown {
  const exits: number[] = [];
  const logged: Logged[] = [];
  const record = (level: string) => (fields: object, msg?: string) => {
    logged.push({ ...fields, level, msg: msg ?? "" });
  };
  const shutdown = createShutdown({
    signals: [],
    logger: { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") },
    exit: (code) => exits.push(code),
    ...options,
  });
  return { shutdown, exits, logged };
}
