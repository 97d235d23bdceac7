import { defineScript, type LocalContext, type Script } from "@mcp-persist/cache-core";
import type { LimitRule } from "./limits";
import { readRules, SERVER_NOW_LUA } from "./script-args";

/** The JS twin of a refund's `body`: takes back one limit's charge, returns the units it took back. */
export type RefundLimit = (
  ctx: LocalContext,
  key: string,
  rule: LimitRule,
  charge: { cost: number; at: number },
  now: number,
) => number;

/** One algorithm's part of a refund script; the loop around it is the same for all. */
export interface RefundScriptParts {
  /** Script name, kebab-case. */
  name: string;
  /** The algorithm, as the first comment line names it. */
  title: string;
  /** Lua defined once before the loop (constants, local functions). */
  prelude?: string;
  /**
   * Lua taking back one limit's charge, with `key`, `limit`, `window`, `cost`, `at` (the server
   * time of the charge) and `now` in scope; adds the units it took back to `removed`.
   */
  body: string;
  /** The JS twin of `body`. */
  local: RefundLimit;
}

/**
 * Builds a refund script: takes back a check's charge on the limits of one Cluster slot group,
 * after a later group denied the call. A charge that has already left its window takes nothing.
 */
export function defineRefundScript(parts: RefundScriptParts): Script<number> {
  return defineScript<number>({
    name: parts.name,
    lua: `-- Takes back a ${parts.title} charge, made by a check that another Cluster slot group denied.
-- KEYS[i]: the key of limit i that was charged, holding what the check's KEYS describe
-- ARGV[1]: cost, the units charged to each; ARGV[2]: the server time of the charge (ms)
-- ARGV[2i+1], ARGV[2i+2]: limit i (units per window) and its window (ms)
-- Returns the number of units taken back
${SERVER_NOW_LUA}
${parts.prelude ?? ""}
local cost, at = tonumber(ARGV[1]), tonumber(ARGV[2])
local removed = 0
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
${parts.body}
end
return removed
`,
    local(ctx, keys, args) {
      const now = ctx.now();
      const charge = { cost: Number(args[0]), at: Number(args[1]) };
      const rules = readRules(args, keys.length, 2);
      return keys.reduce(
        (removed, key, i) => removed + parts.local(ctx, key, rules[i] as LimitRule, charge, now),
        0,
      );
    },
  });
}
