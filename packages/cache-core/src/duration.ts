import { MAX_TIMER_MS } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";
import { InvalidOptionError } from "./errors";

/**
 * Throws {@link InvalidOptionError} (`ERR_INVALID_OPTION`) unless `value` is a wait a timer can
 * measure: a number of milliseconds above 0 (from 0 with `allowZero`), at most
 * {@link MAX_TIMER_MS}. For deadlines, waits and intervals (`storeTimeoutMs`, `waitMs`,
 * `probeIntervalMs`); an entry's lifetime is a TTL instead (`assertTtlMs`, `InvalidTtlError`).
 *
 * @param pkg - the package reporting the error, e.g. `@mcp-persist/lock`
 * @param name - the option name to show in the message, e.g. `storeTimeoutMs`
 */
export function assertDurationMs(
  value: unknown,
  pkg: string,
  name: string,
  allowZero = false,
): asserts value is number {
  const least = allowZero ? 0 : Number.MIN_VALUE;
  if (typeof value !== "number" || !(value >= least) || value > MAX_TIMER_MS) {
    const range = allowZero ? "from 0" : "above 0";
    throw new InvalidOptionError(
      pkg,
      `${name} must be a number of milliseconds ${range} and at most ${MAX_TIMER_MS} (about 24.8 days, the longest delay Node's timers hold), got ${describeValue(value)}`,
    );
  }
}
