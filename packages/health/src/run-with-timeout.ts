import { HealthCheckTimeoutError } from "./errors";

/**
 * Runs `run` and settles within `timeoutMs` whatever it does: a hung dependency becomes a
 * `HealthCheckTimeoutError`, and the signal handed to `run` is aborted with it so drivers
 * that accept a signal can stop their work.
 */
export async function runWithTimeout(
  name: string,
  timeoutMs: number,
  run: (signal: AbortSignal) => unknown,
): Promise<unknown> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new HealthCheckTimeoutError(name, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    // A pending probe must never keep a process alive that is otherwise done.
    timer.unref();
  });
  try {
    // `then` turns a synchronous throw into a rejection. Promise.race also attaches a handler
    // to the abandoned run, so its late rejection is never an unhandled one.
    return await Promise.race([Promise.resolve().then(() => run(controller.signal)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
