// What an application calls: one declaration per tool (cache, rate limit, lock or once) for the
// MCP SDK v1 and v2, the caller identity, the refusal results and the metrics; for streamable
// HTTP fleets, the resumable streams' event store, the per-session state and the sessions served
// by any replica.
export { isErrorResult } from "@mcp-persist/cache-core";
export { type CallerOptions, type CallerResolver, mcpCaller } from "./caller";
export { createToolPolicies, type ToolPolicies } from "./create-tool-policies";
export { McpArgumentError } from "./errors";
export {
  createEventStore,
  EventReplayError,
  type EventStoreOptions,
  type JsonRpcMessage,
  type McpEventStore,
} from "./event-store";
export { type McpMetricsOptions, registerMcpMetrics } from "./metrics";
export type { McpPolicyEvent, ToolPoliciesOptions } from "./options";
export type { McpStats, McpToolStats } from "./policy-stats";
export { busyResult, type NotRunResult, type RateLimitedResult, rateLimitedResult } from "./refusals";
export { requestSignal } from "./request-context";
export { mcpScripts } from "./scripts";
export type {
  ArgsOf,
  CallbackOf,
  ContentBlock,
  ContextOf,
  RequestContext,
  ResourceContents,
  ResourceResult,
  ResourceServer,
  ToolAnnotations,
  ToolHandler,
  ToolResult,
  ToolServer,
} from "./sdk-shapes";
export {
  createServerEventBus,
  type McpServerEventBus,
  type ServerEvent,
  type ServerEventBusOptions,
} from "./server-event-bus";
export {
  createSessionState,
  type SessionState,
  type SessionStateOptions,
  type SessionStates,
} from "./session-state";
export {
  createSessionTransports,
  type SessionTransport,
  type SessionTransports,
  type SessionTransportsOptions,
} from "./session-transports";
export type {
  KeyFrom,
  ResourceCachePolicy,
  ResourceDeclaration,
  ToolCachePolicy,
  ToolDeclaration,
  ToolLockPolicy,
  ToolOncePolicy,
  ToolPolicyFields,
  ToolRateLimitPolicy,
} from "./tool-declaration";
