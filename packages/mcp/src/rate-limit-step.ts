import { optionNames } from "@mcp-persist/cache-core/kit";
import { describeValue } from "@mcp-persist/keys";
import type { ToolRateLimiter, ToolRateLimitResult } from "@mcp-persist/ratelimit";
import type { CallState } from "./call-state";
import { invalidOption, knownNames } from "./errors";
import { type RateLimitedResult, rateLimitedResult } from "./refusals";
import type { Runtime } from "./runtime";
import type { ToolRateLimitPolicy } from "./tool-declaration";

/** How one tool's calls are charged. */
export interface RateLimitPlan {
  readonly limiter: ToolRateLimiter;
  readonly cost: number | undefined;
}

const rateLimitFields = knownNames(optionNames<ToolRateLimitPolicy>({ cost: true }));

/**
 * The rate-limit plan of a tool, or `undefined` without `rateLimit`.
 * @throws {InvalidOptionError} for a malformed policy, or `rateLimit` without a limiter.
 */
export function rateLimitPlan(
  tool: string,
  policy: boolean | ToolRateLimitPolicy | undefined,
  runtime: Runtime,
): RateLimitPlan | undefined {
  if (policy === undefined || policy === false) return undefined;
  if (runtime.limiter === undefined) {
    throw invalidOption(
      `${tool} declares rateLimit, but createToolPolicies() got no limiter: pass { limiter: createToolRateLimiter({ store, perCallerPerTool: { limit, windowMs } }) }`,
    );
  }
  if (policy === true) return { limiter: runtime.limiter, cost: undefined };
  if (typeof policy !== "object" || policy === null) {
    throw invalidOption(`${tool}: rateLimit must be true, false or { cost }, got ${describeValue(policy)}`);
  }
  rateLimitFields(policy, `${tool}: rateLimit`);
  // The limiter would refuse these on every call: refuse them once, now.
  const { cost } = policy;
  if (cost !== undefined && !(Number.isInteger(cost) && cost > 0)) {
    throw invalidOption(`${tool}: rateLimit.cost must be a positive integer, got ${describeValue(cost)}`);
  }
  const smallest = Math.min(...Object.values(runtime.limiter.rules).map((rule) => rule?.limit ?? Infinity));
  if (cost !== undefined && cost > smallest) {
    throw invalidOption(
      `${tool}: rateLimit.cost ${cost} is more than the limiter's smallest limit (${smallest}): such a call could never be allowed`,
    );
  }
  return { limiter: runtime.limiter, cost };
}

/** A unit the limiter took for one call: handed back at most once, never rejecting. */
export class Charge {
  readonly #limiter: ToolRateLimiter;
  readonly #result: ToolRateLimitResult;
  #refunded = false;

  constructor(limiter: ToolRateLimiter, result: ToolRateLimitResult) {
    this.#limiter = limiter;
    this.#result = result;
  }

  /** Gives the unit back; `undefined` when it already went back. */
  async refund(): Promise<boolean | undefined> {
    if (this.#refunded) return undefined;
    this.#refunded = true;
    try {
      return await this.#limiter.refund(this.#result);
    } catch {
      return false; // the limiter never rejects for its store; anything else must not fail the call
    }
  }
}

/**
 * Charges the call, as its caller: the charge to go on with, the refusal to answer with (counted
 * and reported), or `undefined` for a tool without a rate limit.
 */
export async function chargeCall(call: CallState): Promise<Charge | RateLimitedResult | undefined> {
  const plan = call.plan.rateLimit;
  if (plan === undefined) return undefined;
  const options = plan.cost === undefined ? undefined : { cost: plan.cost };
  const result = await plan.limiter.check({ tool: call.label, caller: call.caller }, options);
  if (result.allowed) return new Charge(plan.limiter, result);
  call.counters.denied++;
  call.runtime.emit({
    type: "denied",
    tool: call.label,
    rule: result.rule,
    retryAfterMs: result.retryAfterMs,
  });
  return rateLimitedResult(result);
}

/** Hands a charge back after the lock or `once` answered without running the handler. */
export async function refundCharge(call: CallState, charge: Charge | undefined): Promise<void> {
  const returned = await charge?.refund();
  if (returned !== undefined) call.runtime.emit({ type: "refund", tool: call.label, returned });
}
