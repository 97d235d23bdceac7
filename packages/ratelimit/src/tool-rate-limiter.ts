import type { ToolCall as CacheToolCall } from "@mcp-persist/cache-core";
import { describeValue } from "@mcp-persist/cache-core/kit";
import type { AlgorithmName } from "./algorithms";
import { invalidOption, RateLimitArgumentError } from "./errors";
import { toolSlotGroup } from "./key-layout";
import { ToolCallKeys } from "./key-memo";
import { LimitSet, type NamedRule } from "./limit-set";
import { LimiterCore } from "./limiter-core";
import { costOf, type LimitRule, validateRule } from "./limits";
import { resolveLimiterOptions } from "./resolve-options";
import type { CheckOptions, LimiterOptions, RateLimitResult, Refunds } from "./types";

/** The rules a tool limiter can apply to each call, from the most specific. */
export type ToolRuleName = "perCallerPerTool" | "perCaller" | "perTool";

const RULES: readonly ToolRuleName[] = ["perCallerPerTool", "perCaller", "perTool"];

/** Options of {@link createToolRateLimiter}: give at least one rule. */
export interface ToolRateLimiterOptions extends LimiterOptions {
  /** Each caller's calls to each tool, e.g. 5 `send_email` per minute per caller. @default undefined (none) */
  perCallerPerTool?: LimitRule;
  /** Each caller's calls to all tools together. @default undefined (none) */
  perCaller?: LimitRule;
  /** All callers' calls to each tool together: protects the tool's upstream. @default undefined (none) */
  perTool?: LimitRule;
}

/**
 * What a tool limiter counts of a tool call: cache-core's `ToolCall` (one concept, one type), of
 * which it reads the `tool` and the `caller` (usually `mcpCaller(extra)`, a `Caller`: keys hold
 * only its digest). A call without a caller goes in one shared anonymous bucket. The same object
 * can go to `cache.wrap`; its `args` and `version` are not read here.
 */
type CheckedCall = Pick<CacheToolCall, "tool" | "caller">;

/**
 * @deprecated Use `ToolCall` from `@mcp-persist/cache-core` (the one tool-call type; the limiter
 * reads its `tool` and `caller`). This alias is removed in the next major.
 */
export type ToolCall = CheckedCall;

/** A tool limiter's result: names the tool, for {@link rateLimitedResult}. A type alias, like {@link RateLimitResult}. */
export type ToolRateLimitResult = RateLimitResult & {
  readonly tool: string;
};

/** Up to three limits on every tool call, checked together. */
export interface ToolRateLimiter extends Refunds {
  readonly algorithm: AlgorithmName;
  /** The rules in force. */
  readonly rules: Readonly<Partial<Record<ToolRuleName, LimitRule>>>;
  /**
   * Checks every rule and charges all of them, or none: one script, one round trip (on a Redis
   * Cluster, one per slot group; see the README). Never rejects for a store failure.
   * @throws {RateLimitCostError} for a cost that is not a positive integer up to the smallest limit.
   * @throws {KeyError} for an empty tool name or caller.
   * @throws {RateLimitArgumentError} for a call that is neither an object `{ tool, caller? }` nor missing.
   */
  check(call: CheckedCall, options?: CheckOptions): Promise<ToolRateLimitResult>;
}

/**
 * Per-caller, per-tool limits for an MCP server.
 *
 * ```ts
 * const limiter = createToolRateLimiter({
 *   store,
 *   perCallerPerTool: { limit: 5, windowMs: 60_000 },
 *   perTool: { limit: 100, windowMs: 60_000 },
 * });
 * const result = await limiter.check({ tool: "send_email", caller: mcpCaller(extra) });
 * if (!result.allowed) return rateLimitedResult(result);
 * ```
 * @throws {InvalidOptionError} for an option outside its documented range, or no rule at all.
 */
export function createToolRateLimiter(options: ToolRateLimiterOptions): ToolRateLimiter {
  const resolved = resolveLimiterOptions(options, RULES);
  const rules: Partial<Record<ToolRuleName, LimitRule>> = {};
  for (const name of RULES) {
    const rule = options[name];
    if (rule !== undefined) rules[name] = validateRule(rule, name);
  }
  const active = RULES.filter((name) => rules[name] !== undefined);
  if (active.length === 0) {
    throw invalidOption(
      "createToolRateLimiter needs at least one rule: perCallerPerTool, perCaller or perTool, e.g. perCallerPerTool: { limit: 5, windowMs: 60_000 }",
    );
  }
  const set = new LimitSet(
    active.map((name): NamedRule => ({ ...(rules[name] as LimitRule), name })),
    (rule) => toolSlotGroup(rule.name as ToolRuleName),
  );
  const core = new LimiterCore(resolved, set);
  const keys = new ToolCallKeys(resolved.keyBase, active);
  return {
    algorithm: resolved.algorithm.name,
    rules: Object.freeze(rules),
    check(call, checkOptions) {
      // Not async: see createRateLimiter's check().
      try {
        const cost = costOf(checkOptions, set.smallestLimit);
        // No call at all reaches keySegment as a missing tool name: a KeyError, like an empty one.
        // Anything else must be an object: reading a strict-mode function's `caller` throws.
        if (typeof call !== "object" && call !== undefined) throw notAToolCall(call);
        const { tool, caller } = (call ?? {}) as CheckedCall;
        return Promise.resolve(
          core.check(keys.of(tool, caller), cost, tool) as ToolRateLimitResult | Promise<ToolRateLimitResult>,
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    refund: (result) => core.refund(result),
  };
}

function notAToolCall(call: unknown): RateLimitArgumentError {
  return new RateLimitArgumentError(
    `check() takes a tool call { tool, caller? } (e.g. { tool: "send_email", caller: mcpCaller(extra) }), got ${describeValue(call)}`,
  );
}
