import type { Clock } from "./clock";
import type { Logger } from "./logger";

/** During an outage every call fails the same way: warn once, then at most this often. */
export const WARN_EVERY_MS = 10_000;

/**
 * Warnings that would repeat on every call while something is wrong (a store outage, a failing
 * refresh): logged at most once per `everyMs` per kind, with how many were held back since.
 * Every capability logs through one of these, so an outage looks the same in every log.
 */
export class ThrottledWarnings {
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #everyMs: number;
  readonly #last = new Map<string, { at: number; suppressed: number }>();

  constructor(logger: Logger, clock: Clock, everyMs = WARN_EVERY_MS) {
    this.#logger = logger;
    this.#clock = clock;
    this.#everyMs = everyMs;
  }

  /**
   * Logs `message` with `fields` (plus `event: kind`), unless a warning of the same kind went out
   * less than `everyMs` ago; errors go in `fields.err`, as pino expects.
   */
  warn(kind: string, fields: Record<string, unknown>, message: string): void {
    const now = this.#clock.now();
    const last = this.#last.get(kind);
    if (last !== undefined && now - last.at < this.#everyMs) {
      last.suppressed++;
      return;
    }
    this.#last.set(kind, { at: now, suppressed: 0 });
    const suppressed = last?.suppressed ? { suppressed: last.suppressed } : {};
    this.#logger.warn({ event: kind, ...fields, ...suppressed }, message);
  }
}
