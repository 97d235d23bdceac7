import type { RateLimitResult } from "./types";

/** The MCP tool result for a refused call, as a tool handler returns it. */
export interface RateLimitedToolResult {
  isError: true;
  content: [{ type: "text"; text: string }];
}

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
 */
export function rateLimitedResult(
  result: RateLimitResult & { readonly tool?: string },
  options: { tool?: string } = {},
): RateLimitedToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: denialMessage(result, options.tool ?? result.tool) }],
  };
}

/** The sentence {@link rateLimitedResult} puts in its text content. */
export function denialMessage(result: RateLimitResult, tool?: string): string {
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
