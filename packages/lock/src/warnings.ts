import { type Logger, systemClock } from "@mcp-persist/cache-core";
import { ThrottledWarnings } from "@mcp-persist/cache-core/kit";

/**
 * One `ThrottledWarnings` per logger, shared by every call that logs to it: through an outage
 * each call fails the same way, and the log should say so once per 10 s per kind, not per call.
 */
const byLogger = new WeakMap<Logger, ThrottledWarnings>();

/** The throttled warnings of `logger`, for warnings that repeat on every call while the store is down. */
export function outageWarnings(logger: Logger): ThrottledWarnings {
  let warnings = byLogger.get(logger);
  if (warnings === undefined) {
    warnings = new ThrottledWarnings(logger, systemClock);
    byLogger.set(logger, warnings);
  }
  return warnings;
}
