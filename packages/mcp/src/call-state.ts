import type { Caller } from "@mcp-persist/cache-core";
import type { CachePlan } from "./cache-plan";
import type { GuardPlan } from "./guard-step";
import type { PolicyCounters } from "./policy-stats";
import type { RateLimitPlan } from "./rate-limit-step";
import type { Runtime } from "./runtime";
import type { RequestContext, ToolResult } from "./sdk-shapes";

/** A tool's policies, resolved and checked once, at registration. */
export interface ToolPlan {
  readonly cache: CachePlan | undefined;
  readonly rateLimit: RateLimitPlan | undefined;
  readonly guard: GuardPlan | undefined;
}

/** One call on its way through the policies. */
export interface CallState {
  /** The tool's name: its key segment, stats label and rate-limit tool. */
  readonly label: string;
  readonly plan: ToolPlan;
  readonly runtime: Runtime;
  readonly counters: PolicyCounters;
  /** The parsed arguments (`{}` for a tool without `inputSchema`). */
  readonly args: unknown;
  readonly context: RequestContext;
  readonly signal: AbortSignal | undefined;
  readonly caller: Caller | undefined;
  /** Calls the handler as the SDK would have. */
  readonly handler: () => Promise<ToolResult>;
}
