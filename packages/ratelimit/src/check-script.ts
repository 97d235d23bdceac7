import { defineScript, type LocalContext, type Script } from "@mcp-persist/cache-core";
import type { LimitRule } from "./limits";
import { type CheckReply, readRules, SERVER_NOW_LUA } from "./script-args";

/** What an algorithm's JS body knows about one limit after reading it, before charging anything. */
export interface LimitState {
  /** Whether this limit alone has room for the cost. */
  readonly fits: boolean;
  /** Charges the cost (called only when every limit of the check fits). */
  charge(): void;
  /** `[remaining, retry after ms, reset after ms]`, after `charge()` if it ran. */
  report(): [number, number, number];
}

/** The JS twin of `read`: one limit of a check at `now` (ms) costing `cost` units. */
export type ReadLimit = (
  ctx: LocalContext,
  key: string,
  rule: LimitRule,
  cost: number,
  now: number,
) => LimitState;

/** One algorithm's part of a check script; the loops around it are the same for all. */
export interface CheckScriptParts {
  /** Script name, kebab-case. */
  name: string;
  /** First comment line: what the algorithm is. */
  title: string;
  /** Comment lines saying what one key holds. */
  keyDoc: string;
  /** Lua defined once before the loops (constants, local functions). */
  prelude?: string;
  /**
   * Lua reading one limit, with `key`, `limit`, `window`, `cost`, `now` in scope: sets
   * `allowed = 0` when the cost does not fit and keeps what the report needs in `state[i]`.
   */
  read: string;
  /**
   * Lua for one limit after all were read: charges when `allowed == 1`, then sets the locals
   * `remaining`, `retry` (after, ms) and `reset` (after, ms) that the reply carries.
   */
  report: string;
  /** The JS twin of `read` and `report`. */
  local: ReadLimit;
}

/**
 * Builds a check script: one or more checks, each against the same `rules` limits, each charging
 * all its limits or none. Several checks in one call are how the limiter batches concurrent
 * checks into one round trip; they run one after another, as separate calls would.
 */
export function defineCheckScript(parts: CheckScriptParts): Script<CheckReply> {
  return defineScript<CheckReply>({
    name: parts.name,
    lua: `-- ${parts.title}: every limit of a check is charged, or none.
-- KEYS: the keys of one check after another, \`rules\` keys each: KEYS[first + i] is limit i's
${parts.keyDoc}
-- ARGV[1]: rules, the number of limits each check is made against
-- ARGV[2i], ARGV[2i+1]: limit i (units per window) and its window (ms)
-- ARGV[2 * rules + 2 + c]: the cost of check c (from 0): units it takes from each of its limits
-- Returns, for each check: allowed (1/0), now, then per limit: remaining, retry after (ms),
-- reset after (ms)
${SERVER_NOW_LUA}
${parts.prelude ?? ""}
local rules = tonumber(ARGV[1])
local reply = {}
for first = 0, #KEYS - rules, rules do
  local cost = tonumber(ARGV[2 * rules + 2 + first / rules])
  local allowed, state = 1, {}
  for i = 1, rules do
    local key, limit, window = KEYS[first + i], tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
${parts.read}
  end
  table.insert(reply, allowed)
  table.insert(reply, now)
  for i = 1, rules do
    local key, limit, window = KEYS[first + i], tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
${parts.report}
    table.insert(reply, remaining)
    table.insert(reply, retry)
    table.insert(reply, reset)
  end
end
return reply
`,
    local: (ctx, keys, args) => checkBody(ctx, keys, args, parts.local),
  });
}

/** The JS twin of the loops in {@link defineCheckScript}. */
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
