import type { Script } from "@mcp-persist/cache-core";
import { defineScript, type LocalContext } from "@mcp-persist/cache-core/kit";
import type { LimitRule } from "./limits";
import { readRules } from "./script-args";

/** The JS twin of one limit in a refund script: takes back its charge, returns the units taken back. */
export type RefundLimit = (
  ctx: LocalContext,
  key: string,
  rule: LimitRule,
  charge: { cost: number; at: number },
  now: number,
) => number;

/**
 * A refund script: takes back a check's charge on the limits of one Cluster slot group, after a
 * later group denied the call. A charge that has already left its window takes nothing. `lua` is
 * the whole script, in the algorithm's file; the JS loop around `local` mirrors its loop.
 */
export function defineRefundScript(definition: {
  name: string;
  lua: string;
  local: RefundLimit;
}): Script<number> {
  return defineScript<number>({
    name: definition.name,
    lua: definition.lua,
    local(ctx, keys, args) {
      const now = ctx.now();
      const charge = { cost: Number(args[0]), at: Number(args[1]) };
      const rules = readRules(args, keys.length, 2);
      return keys.reduce(
        (removed, key, i) => removed + definition.local(ctx, key, rules[i] as LimitRule, charge, now),
        0,
      );
    },
  });
}
