import type { ToolCall } from "@mcp-persist/cache-core";
import { type CachePlan, wrapOptions } from "./cache-plan";
import type { CallState } from "./call-state";
import { runGuarded } from "./guard-step";
import { Charge, chargeCall, refundCharge } from "./rate-limit-step";
import { isNotRunResult } from "./refusals";
import type { ToolResult } from "./sdk-shapes";

/** How often a call that joined another caller's refused (or cancelled) run tries again. */
const REJOINS = 3;

/**
 * A shared run ended in something that belongs to the caller who started it — its rate-limit
 * denial, or its cancellation — not to the callers that joined it. They run again as themselves.
 */
class OwnedOutcome extends Error {
  constructor(
    readonly owner: object,
    readonly refusal: ToolResult | undefined,
    readonly failure: unknown,
  ) {
    super("[@mcp-persist/mcp] internal: the outcome of another caller's run");
  }
}

/**
 * One tool call through its policies, in this order: identity → rate limit → cache → lock/once →
 * handler. A cache hit spends no rate-limit unit unless `chargeCacheHits`: the check then runs
 * inside the cache's miss, so only calls that reach the handler are charged.
 */
export async function runToolCall(call: CallState): Promise<ToolResult> {
  try {
    return await dispatch(call);
  } catch (error) {
    if (call.signal?.aborted) call.runtime.emit({ type: "cancelled", tool: call.label });
    throw error;
  }
}

function dispatch(call: CallState): Promise<ToolResult> {
  call.signal?.throwIfAborted();
  const cache = call.plan.cache;
  if (cache === undefined) return chargedRun(call);
  return call.runtime.chargeCacheHits ? chargedAtTheDoor(call, cache) : chargedOnMiss(call, cache);
}

/** Charge, then run: an uncached tool, or a call that gave up on joining others. */
async function chargedRun(call: CallState): Promise<ToolResult> {
  const charge = await chargeCall(call);
  if (charge !== undefined && !(charge instanceof Charge)) return charge;
  return runGuarded(call, charge);
}

async function chargedAtTheDoor(call: CallState, cache: CachePlan): Promise<ToolResult> {
  const charge = await chargeCall(call);
  if (charge !== undefined && !(charge instanceof Charge)) return charge;
  const result = await wrap(call, cache, () => runGuarded(call, charge));
  // Joined a run the lock turned away: this caller paid too, and nothing ran for it either.
  if (isNotRunResult(result)) await refundCharge(call, charge);
  return result;
}

/**
 * The check runs in the miss, as the caller who starts the run. Callers that joined it must not
 * get that caller's denial (their own limit may allow them) nor its cancellation: they get an
 * {@link OwnedOutcome} and run again as themselves, a few times, then without the cache.
 */
async function chargedOnMiss(call: CallState, cache: CachePlan): Promise<ToolResult> {
  for (let attempt = 0; attempt < REJOINS; attempt++) {
    const owner = {};
    try {
      return await wrap(call, cache, () => fill(call, owner));
    } catch (error) {
      if (!(error instanceof OwnedOutcome)) throw error;
      if (error.owner === owner) {
        if (error.refusal !== undefined) return error.refusal;
        throw error.failure;
      }
    }
  }
  return chargedRun(call);
}

async function fill(call: CallState, owner: object): Promise<ToolResult> {
  const charge = await chargeCall(call);
  if (charge !== undefined && !(charge instanceof Charge)) throw new OwnedOutcome(owner, charge, undefined);
  try {
    return await runGuarded(call, charge);
  } catch (error) {
    if (call.signal?.aborted) throw new OwnedOutcome(owner, undefined, error);
    throw error;
  }
}

/** `cache.wrap` with the tool's key and policy, and the request's signal for the wait. */
function wrap(call: CallState, plan: CachePlan, fn: () => Promise<ToolResult>): Promise<ToolResult> {
  const key: ToolCall = { tool: call.label, args: call.args, version: plan.version };
  if (plan.perCaller === true) key.caller = call.caller;
  return plan.cache.wrap(key, fn, wrapOptions(plan, call.signal));
}
