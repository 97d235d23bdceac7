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
  // Loops, not flatMap() and spreads: this runs for every batch on Redis, and Node 20's flatMap()
  // costs ~70 ns an item (300 ns for one rule and four checks, against 40 ns).
  const args: ScriptArg[] = [rules.length];
  pushRules(args, rules);
  for (const cost of costs) args.push(cost);
  return args;
}

/**
 * ARGV of a refund: the cost, the server time the charge was made at, then each limit and its
 * window (`ARGV[2i+1]`, `ARGV[2i+2]` in Lua).
 */
export function refundArgs(cost: number, chargedAt: number, rules: readonly LimitRule[]): ScriptArg[] {
  const args: ScriptArg[] = [cost, chargedAt];
  pushRules(args, rules);
  return args;
}

/** Each rule's limit and window, in order, onto `args`. */
function pushRules(args: ScriptArg[], rules: readonly LimitRule[]): void {
  for (const rule of rules) args.push(rule.limit, rule.windowMs);
}

/** In a JS body: the `count` limits whose ARGV start at index `from`. */
export function readRules(args: readonly string[], count: number, from: number): LimitRule[] {
  const rules: LimitRule[] = [];
  for (let i = 0; i < count; i++) {
    rules.push({ limit: Number(args[from + 2 * i]), windowMs: Number(args[from + 2 * i + 1]) });
  }
  return rules;
}
