import { describeValue } from "@mcp-persist/keys";
import { RateLimitArgumentError } from "./errors";
import type { RateLimitResult } from "./types";

/**
 * The MCP tool result for a refused call, as a tool handler returns it. A type alias, not an
 * interface: only a type alias is assignable to the SDK's `CallToolResult`, whose index signature
 * an interface does not satisfy.
 * @deprecated The MCP glue moved to `@mcp-persist/mcp`: use its `RateLimitedResult`. This one
 * keeps working until the next major.
 */
export type RateLimitedToolResult = {
  isError: true;
  content: [{ type: "text"; text: string }];
};

const UNITS: readonly [number, string][] = [
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
  [1000, "second"],
];

/**
 * Turns a denied check into the error result the LLM sees, e.g. `Rate limit exceeded: max 5
 * send_email calls per minute. Retry after 12 s.` Return it from the tool handler: the model
 * reads it and can wait instead of retrying in a loop.
 * @param options.tool the tool's name, when the result does not carry one (`createRateLimiter`)
 * @throws {RateLimitArgumentError} for a result that allowed the call (or is not a result): a
 * denial text for an allowed call would tell the model to wait for nothing.
 * @deprecated The MCP glue moved to `@mcp-persist/mcp`: use its `rateLimitedResult` (the same
 * text, plus `_meta.retryAfterMs`), or declare `rateLimit` on the tool with `createToolPolicies`.
 * This one keeps working, unchanged, until the next major.
 */
export function rateLimitedResult(
  result: RateLimitResult & { readonly tool?: string },
  options: { tool?: string } = {},
): RateLimitedToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: denialMessage(result, options?.tool ?? result?.tool) }],
  };
}

/**
 * The sentence {@link rateLimitedResult} puts in its text content.
 * @throws {RateLimitArgumentError} for a result that allowed the call (or is not a result).
 */
export function denialMessage(result: RateLimitResult, tool?: string): string {
  assertDenied(result);
  const calls = tool === undefined ? "calls" : `${tool} calls`;
  const retry = `Retry after ${Math.max(1, Math.ceil(result.retryAfterMs / 1000))} s.`;
  if (result.reason === "degraded") return `Rate limit unavailable: ${calls} are paused. ${retry}`;
  const max =
    result.rule === "perCaller"
      ? `max ${result.limit} tool calls per ${per(result.windowMs)}`
      : `max ${result.limit} ${calls} per ${per(result.windowMs)}`;
  const scope = result.rule === "perTool" ? " across all callers" : "";
  return `Rate limit exceeded: ${max}${scope}. ${retry}`;
}

/** `minute`, `2 minutes`, `1500 ms`: the window as a person would say it. */
function per(windowMs: number): string {
  for (const [ms, unit] of UNITS) {
    if (windowMs % ms === 0) return windowMs === ms ? unit : `${windowMs / ms} ${unit}s`;
  }
  return `${windowMs} ms`;
}

function assertDenied(result: RateLimitResult): void {
  if (typeof result !== "object" || result === null || result.allowed !== false) {
    const got =
      typeof result === "object" && result !== null
        ? `allowed: ${describeValue(result.allowed)}`
        : describeValue(result);
    throw new RateLimitArgumentError(
      `rateLimitedResult() and denialMessage() take a result that denied the call (allowed: false), got ${got}; return the tool's own result when the check allowed it`,
    );
  }
}
