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
  /**
   * Writes `remaining, retry after ms, reset after ms` at `at`, `at + 1` and `at + 2` of the reply
   * (`at` is its length, or the slots a one-limit check made for them), after `charge()` if it ran.
   */
  report(reply: number[], at: number): void;
}

/**
 * The JS twin of one limit's two passes in a check script, at `now` (ms), costing `cost` units.
 * `place` is the limit's index in its check: a state may be reused (rewritten) when the next check
 * reads the same place, never sooner, so an algorithm can keep one state object per place instead
 * of making one per limit per check (bodies run one at a time, each to its end).
 */
export type ReadLimit = (
  ctx: LocalContext,
  key: string,
  rule: LimitRule,
  cost: number,
  now: number,
  place: number,
) => LimitState;

/** A {@link LimitState} that takes its reading of a limit itself: one kept per place, see {@link readingsPerPlace}. */
export interface LimitReading extends LimitState {
  read(ctx: LocalContext, key: string, rule: LimitRule, cost: number, now: number): void;
}

/**
 * A {@link ReadLimit} over readings kept one per place in a check and rewritten by each check
 * (`make` makes one the first time a place is read): no state is allocated per check.
 */
export function readingsPerPlace(make: () => LimitReading): ReadLimit {
  const readings: LimitReading[] = [];
  return (ctx, key, rule, cost, now, place) => {
    let reading = readings[place];
    if (reading === undefined) {
      reading = make();
      readings[place] = reading;
    }
    reading.read(ctx, key, rule, cost, now);
    return reading;
  };
}

/**
 * The JS twin of a whole check of one limit, at `now` (ms), costing `cost` units: its reply
 * `[allowed, now, remaining, retry after ms, reset after ms]`, the limit charged if allowed. What
 * {@link ReadLimit} and its state do in two passes, in one: every in-process `createRateLimiter`
 * check is one of these, and the engine then keeps the whole reading in locals.
 */
export type CheckOneLimit = (
  ctx: LocalContext,
  key: string,
  rule: LimitRule,
  cost: number,
  now: number,
) => number[];

/**
 * A check script: one or more checks, each against the same limits, each charging all its limits
 * or none. `lua` is the whole script, readable top to bottom in the algorithm's file; every check
 * script shares its KEYS/ARGV layout and its two passes (read every limit, then charge and report
 * each), which {@link checkBody} mirrors in JS around the algorithm's `local` per-limit twin.
 * Several checks in one call are how the limiter batches concurrent checks into one round trip;
 * they run one after another, as separate calls would. `one`, when given, decides a call of one
 * check of one limit instead (it must reply what `local` would).
 */
export function defineCheckScript(definition: {
  name: string;
  lua: string;
  local: ReadLimit;
  one?: CheckOneLimit;
}): Script<CheckReply> {
  const argvOf = lastArgv();
  const { local: read, one = (ctx, key, rule, cost, now) => checkOne(ctx, key, rule, cost, now, read) } =
    definition;
  return defineScript<CheckReply>({
    name: definition.name,
    lua: definition.lua,
    local: (ctx, keys, args) => {
      const argv = argvOf(args);
      if (argv.count === 1 && keys.length === 1) {
        // One check of one limit (an in-process createRateLimiter check).
        return one(ctx, keys[0] as string, argv.rules[0] as LimitRule, argv.costs[0] as number, ctx.now());
      }
      return checkBody(ctx, keys, argv, read);
    },
    integerReply: true,
  });
}

/** A check script's ARGV, parsed: the number of limits, each limit, the cost of each check. */
interface CheckArgv {
  readonly count: number;
  readonly rules: readonly LimitRule[];
  readonly costs: readonly number[];
}

/**
 * A check's ARGV, parsed once per frozen ARGV array: a limiter passes the same frozen one to every
 * check costing 1, which would otherwise be parsed again (into new objects) on every in-process
 * check. Only frozen arrays are remembered (one, the last), so none is read stale.
 */
function lastArgv(): (args: readonly string[]) => CheckArgv {
  let last: readonly string[] | undefined;
  let argv: CheckArgv | undefined;
  return (args) => {
    if (args === last) return argv as CheckArgv;
    const count = Number(args[0]); // ARGV[1] in Lua: JS counts from 0
    const costs: number[] = [];
    for (let i = 2 * count + 1; i < args.length; i++) costs.push(Number(args[i]));
    const parsed: CheckArgv = { count, rules: readRules(args, count, 1), costs };
    if (Object.isFrozen(args)) [last, argv] = [args, parsed];
    return parsed;
  };
}

/** A check of one limit through `read`'s two passes, for an algorithm without a {@link CheckOneLimit} of its own. */
function checkOne(
  ctx: LocalContext,
  key: string,
  rule: LimitRule,
  cost: number,
  now: number,
  read: ReadLimit,
): number[] {
  const state = read(ctx, key, rule, cost, now, 0);
  // Made at its size: growing an empty array would allocate room for 17.
  const reply = [state.fits ? 1 : 0, now, 0, 0, 0];
  if (state.fits) state.charge();
  state.report(reply, 2);
  return reply;
}

/** The JS twin of a check script's loops, on its parsed ARGV. Plain loops: it runs on every in-process check. */
function checkBody(ctx: LocalContext, keys: readonly string[], argv: CheckArgv, read: ReadLimit): CheckReply {
  const now = ctx.now();
  const { count, rules, costs } = argv;
  const reply: number[] = [];
  const states: LimitState[] = [];
  for (let first = 0; first + count <= keys.length; first += count) {
    const cost = costs[first / count] as number;
    // First pass: read every limit; one without room for the cost denies the whole check.
    let allowed = true;
    for (let i = 0; i < count; i++) {
      const state = read(ctx, keys[first + i] as string, rules[i] as LimitRule, cost, now, i);
      states[i] = state;
      if (!state.fits) allowed = false;
    }
    reply.push(allowed ? 1 : 0, now);
    // Second pass: charge every limit if all fit, then report each.
    if (allowed) for (let i = 0; i < count; i++) (states[i] as LimitState).charge();
    for (let i = 0; i < count; i++) (states[i] as LimitState).report(reply, reply.length);
  }
  return reply;
}
