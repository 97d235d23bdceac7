import type { Script } from "@mcp-persist/cache-core";
import { defineScript, type LocalContext } from "@mcp-persist/cache-core/kit";
import type { LimitRule } from "./limits";
import { type CheckReply, readRules } from "./script-args";

/** What an algorithm's JS body knows about one limit after reading it, before charging anything. */
export interface LimitState {
  /** Whether this limit alone has room for the cost. */
  readonly fits: boolean;
  /** Charges the cost (called only when every limit of the check fits). */
  charge(): void;
  /** `[remaining, retry after ms, reset after ms]`, after `charge()` if it ran. */
  report(): [number, number, number];
}

/** The JS twin of one limit's two passes in a check script, at `now` (ms), costing `cost` units. */
export type ReadLimit = (
  ctx: LocalContext,
  key: string,
  rule: LimitRule,
  cost: number,
  now: number,
) => LimitState;

/**
 * A check script: one or more checks, each against the same limits, each charging all its limits
 * or none. `lua` is the whole script, readable top to bottom in the algorithm's file; every check
 * script shares its KEYS/ARGV layout and its two passes (read every limit, then charge and report
 * each), which {@link checkBody} mirrors in JS around the algorithm's `local` per-limit twin.
 * Several checks in one call are how the limiter batches concurrent checks into one round trip;
 * they run one after another, as separate calls would.
 */
export function defineCheckScript(definition: {
  name: string;
  lua: string;
  local: ReadLimit;
}): Script<CheckReply> {
  return defineScript<CheckReply>({
    name: definition.name,
    lua: definition.lua,
    local: (ctx, keys, args) => checkBody(ctx, keys, args, definition.local),
  });
}

/** The JS twin of a check script's loops (`ARGV[1]` is `args[0]` here: JS counts from 0). */
function checkBody(
  ctx: LocalContext,
  keys: readonly string[],
  args: readonly string[],
  read: ReadLimit,
): CheckReply {
  const now = ctx.now();
  const count = Number(args[0]);
  const rules = readRules(args, count, 1);
  const reply: number[] = [];
  for (let first = 0; first + count <= keys.length; first += count) {
    const cost = Number(args[2 * count + 1 + first / count]);
    const states = rules.map((rule, i) => read(ctx, keys[first + i] as string, rule, cost, now));
    const allowed = states.every((state) => state.fits);
    if (allowed) for (const state of states) state.charge();
    reply.push(allowed ? 1 : 0, now, ...states.flatMap((state) => state.report()));
  }
  return reply;
}
