export type { AlgorithmName } from "./algorithms";
export { denialMessage, type RateLimitedToolResult, rateLimitedResult } from "./denial-result";
export { RateLimitArgumentError, RateLimitCostError, RateLimitOptionError } from "./errors";
export { gcraCheck, gcraRefund } from "./gcra.lua";
export { type LimitRule, MAX_LIMIT, MAX_LIMIT_TIMES_WINDOW, MAX_WINDOW_MS } from "./limits";
export { type McpCallerOptions, type McpRequestContext, mcpCaller } from "./mcp-caller";
export { createRateLimiter, type RateLimiter, type RateLimiterOptions } from "./rate-limiter";
export type { CheckReply } from "./script-args";
export { slidingLogCheck, slidingLogRefund } from "./sliding-log.lua";
export { slidingWindowCheck, slidingWindowRefund } from "./sliding-window.lua";
export {
  createToolRateLimiter,
  type ToolCall,
  type ToolRateLimiter,
  type ToolRateLimiterOptions,
  type ToolRateLimitResult,
  type ToolRuleName,
} from "./tool-rate-limiter";
export type { CheckOptions, LimiterOptions, RateLimitReason, RateLimitResult } from "./types";
