import { describeValue } from "@mcp-persist/keys";
import { LOCK_BUSY_MESSAGE, type LockBusy, ONCE_UNKNOWN_MESSAGE, type OnceUnknown } from "@mcp-persist/lock";
import { denialMessage, type RateLimitResult } from "@mcp-persist/ratelimit";
import { McpArgumentError } from "./errors";

// Every refusal is a tool result with `isError: true` and a text the model can act on, so a
// client sees one shape whichever policy said no. Type aliases, not interfaces: only an alias is
// assignable to the SDKs' `CallToolResult`.

/** A call refused by the rate limit: the guides' sentence, and the wait in `_meta.retryAfterMs`. */
export type RateLimitedResult = {
  isError: true;
  content: [{ type: "text"; text: string }];
  _meta: {
    /** Milliseconds before the same call can succeed. */
    retryAfterMs: number;
    /** The rule that refused it: `perCallerPerTool`, `perCaller`, `perTool` (or `default`). */
    rule: string;
    /** That rule's limit, calls per window. */
    limit: number;
    /** That rule's window, ms. */
    windowMs: number;
  };
};

/** A call the lock or `once` did not run: busy, or an earlier attempt's outcome unknown. */
export type NotRunResult = {
  isError: true;
  content: [{ type: "text"; text: string }];
};

/** Refusals made for calls whose handler never ran: a unit charged for them goes back. */
const notRun = new WeakSet<object>();

/**
 * The tool result for a denied check: `Rate limit exceeded: max 5 send_email calls per minute.
 * Retry after 12 s.`, with `_meta: { retryAfterMs, rule, limit, windowMs }`.
 * @param options.tool the tool's name when the result does not carry one (`createRateLimiter`).
 * @throws {RateLimitArgumentError} (from `@mcp-persist/ratelimit`) for a result that allowed the call.
 */
export function rateLimitedResult(
  result: RateLimitResult & { readonly tool?: string },
  options: { tool?: string } = {},
): RateLimitedResult {
  const text = denialMessage(result, options.tool ?? result?.tool);
  const { retryAfterMs, rule, limit, windowMs } = result;
  return { isError: true, content: [{ type: "text", text }], _meta: { retryAfterMs, rule, limit, windowMs } };
}

/**
 * The tool result for a lock that is busy ("Operation in progress — try again in a moment") or a
 * `once` whose earlier attempt may or may not have completed. Pass `message` to word it your way.
 * @throws {McpArgumentError} for an outcome that is neither (`ran`, `done`: return its value), or
 * a `message` that is not a string.
 */
export function busyResult(outcome: LockBusy | OnceUnknown, message?: string): NotRunResult {
  const status = (outcome as { status?: unknown } | null | undefined)?.status;
  if (status !== "busy" && status !== "unknown") {
    const got = typeof status === "string" ? `status ${JSON.stringify(status)}` : describeValue(outcome);
    throw new McpArgumentError(
      `busyResult() takes a withLock or once outcome that did not run (status "busy" or "unknown"), got ${got}; return the outcome's value when it ran`,
    );
  }
  if (message !== undefined && typeof message !== "string") {
    throw new McpArgumentError(`busyResult()'s message must be a string, got ${describeValue(message)}`);
  }
  const text = message ?? (outcome.status === "unknown" ? ONCE_UNKNOWN_MESSAGE : LOCK_BUSY_MESSAGE);
  const result: NotRunResult = { isError: true, content: [{ type: "text", text }] };
  notRun.add(result);
  return result;
}

/** Whether `value` is a {@link busyResult} made by this package: its handler never ran. */
export function isNotRunResult(value: unknown): boolean {
  return typeof value === "object" && value !== null && notRun.has(value);
}
