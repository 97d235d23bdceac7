import { toolCachePlan } from "./cache-plan";
import type { ToolPlan } from "./call-state";
import { checkRegistration } from "./check-registration";
import { guardPlan } from "./guard-step";
import { rateLimitPlan } from "./rate-limit-step";
import { signalOf } from "./request-context";
import type { Runtime } from "./runtime";
import type { MaybePromise, RequestContext, ToolResult } from "./sdk-shapes";
import { runToolCall } from "./tool-call";
import type { ToolDeclaration } from "./tool-declaration";

type AnyDeclaration = ToolDeclaration<unknown, unknown, never, never>;
type AnyHandler = (...params: unknown[]) => MaybePromise<ToolResult>;
type SdkServer = { registerTool(name: string, config: object, handler: AnyHandler): unknown };

/**
 * Registers a tool with the SDK, its handler wrapped in the tool's policies. Everything is
 * checked first: a bad declaration throws before the SDK sees the tool.
 */
export function registerTool(
  runtime: Runtime,
  server: SdkServer,
  name: string,
  config: AnyDeclaration,
  handler: AnyHandler,
): unknown {
  checkRegistration("registerTool", server, name, config, handler);
  // The policy fields stay here: the SDK gets its own config, untouched.
  const { cache, rateLimit, lock, once, ...sdkConfig } = config;
  const plan: ToolPlan = {
    cache: toolCachePlan(name, cache, sdkConfig, runtime),
    rateLimit: rateLimitPlan(name, rateLimit, runtime),
    guard: guardPlan(name, lock, once, runtime),
  };
  const counters = runtime.register(name);
  // Both SDKs call a tool without inputSchema as handler(ctx), one with it as handler(args, ctx).
  const hasInput = sdkConfig.inputSchema !== undefined;
  const call = async (args: unknown, context: RequestContext): Promise<ToolResult> =>
    runToolCall({
      label: name,
      plan,
      runtime,
      counters,
      args,
      context,
      signal: signalOf(context),
      caller: runtime.identify(context),
      handler: async () => (hasInput ? handler(args, context) : handler(context)),
    });
  const wrapped: AnyHandler = hasInput
    ? (args, context) => call(args ?? {}, context as RequestContext)
    : (context) => call({}, context as RequestContext);
  return server.registerTool(name, sdkConfig, wrapped);
}
