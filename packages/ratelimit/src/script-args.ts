import type { ScriptArg } from "@mcp-persist/cache-core";
import type { LimitRule } from "./limits";

/**
 * What a check script replies, for each check it was given: `allowed (1 or 0), now (server ms),
 * then for each limit: remaining, retry after (ms), reset after (ms)`. Integers only, as Redis
 * replies them.
 */
export type CheckReply = readonly number[];

/**
 * ARGV of a check script: the number of limits, each limit and its window (`ARGV[2i]`,
 * `ARGV[2i+1]` in Lua), then the cost of each check.
 */
export function checkArgs(rules: readonly LimitRule[], costs: readonly number[]): ScriptArg[] {
  return [rules.length, ...rules.flatMap((rule) => [rule.limit, rule.windowMs]), ...costs];
}

/**
 * ARGV of a refund: the cost, the server time the charge was made at, then each limit and its
 * window (`ARGV[2i+1]`, `ARGV[2i+2]` in Lua).
 */
export function refundArgs(cost: number, chargedAt: number, rules: readonly LimitRule[]): ScriptArg[] {
  return [cost, chargedAt, ...rules.flatMap((rule) => [rule.limit, rule.windowMs])];
}

/** In a JS body: the `count` limits whose ARGV start at index `from`. */
export function readRules(args: readonly string[], count: number, from: number): LimitRule[] {
  const rules: LimitRule[] = [];
  for (let i = 0; i < count; i++) {
    rules.push({ limit: Number(args[from + 2 * i]), windowMs: Number(args[from + 2 * i + 1]) });
  }
  return rules;
}
