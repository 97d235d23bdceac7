import type { LimitSet, NamedRule } from "./limit-set";
import type { CheckReply } from "./script-args";
import type { RateLimitReason, RateLimitResult } from "./types";

/**
 * One result from a check reply (`[allowed, now, ...per rule: remaining, retry, reset]`).
 * Denied: the rule that holds the call back longest speaks for it. Allowed: the one with the
 * least room left. `tool`, when given, ends the result (the tool limiter's results name it).
 * `charge`, when given, is stamped onto it for `refund()` (see {@link ChargeStamp}).
 */
export function storeResult(
  set: LimitSet,
  reply: CheckReply,
  reason: RateLimitReason,
  now: number,
  tool: string | undefined,
  charge: unknown,
): RateLimitResult & { readonly tool?: string } {
  const allowed = reply[0] === 1;
  // Rule i's remaining, retry after and reset after sit at 2 + 3i, 3 + 3i and 4 + 3i. One rule
  // (every createRateLimiter check) speaks for the call with no search.
  const rules = set.rules.length;
  const binding = rules === 1 ? 2 : bindingAt(reply, rules, allowed);
  const resetAfterMs = rules === 1 ? Math.max(0, reply[4] as number) : longestReset(reply, rules);
  const rule = set.rules[(binding - 2) / 3] as NamedRule;
  // Whole ms, rounded up like retryAfterMs: the limiter's clock may be fractional (the default
  // one is), and at the time reported every limit must really be available again.
  const resetAtMs = Math.ceil(now + resetAfterMs);
  const retryAfterMs = allowed ? 0 : (reply[binding + 1] as number);
  const remaining = reply[binding] as number;
  const { name, limit, windowMs } = rule;
  // One literal per shape, the tool last as it always was: results of one limiter share a shape.
  const result =
    tool === undefined
      ? { allowed, reason, rule: name, limit, windowMs, remaining, resetAtMs, retryAfterMs }
      : { allowed, reason, rule: name, limit, windowMs, remaining, resetAtMs, retryAfterMs, tool };
  if (charge !== undefined) new ChargeStamp(result, charge);
  return result;
}

/**
 * Where the rule that speaks for a call of several rules sits in its reply. Denied: the one that
 * holds the call back longest. Allowed: the one with the least room left.
 */
function bindingAt(reply: CheckReply, rules: number, allowed: boolean): number {
  let binding = 2;
  for (let at = 5; at < 2 + 3 * rules; at += 3) {
    if (
      allowed
        ? (reply[at] as number) < (reply[binding] as number)
        : (reply[at + 1] as number) > (reply[binding + 1] as number)
    ) {
      binding = at;
    }
  }
  return binding;
}

/** Ms until every rule of the call is empty: the longest reset after. */
function longestReset(reply: CheckReply, rules: number): number {
  let resetAfterMs = 0;
  for (let at = 4; at < 2 + 3 * rules; at += 3) resetAfterMs = Math.max(resetAfterMs, reply[at] as number);
  return resetAfterMs;
}

/**
 * A decision made without any store: nothing is known about the counts, so `remaining` is 0 and
 * the first rule (the most specific one) speaks for the call.
 */
export function degradedResult(
  set: LimitSet,
  allowed: boolean,
  retryAfterMs: number,
  now: number,
  tool?: string,
): RateLimitResult & { readonly tool?: string } {
  const rule = set.rules[0] as NamedRule;
  const result: RateLimitResult = {
    allowed,
    reason: "degraded",
    rule: rule.name,
    limit: rule.limit,
    windowMs: rule.windowMs,
    remaining: 0,
    resetAtMs: Math.ceil(now),
    retryAfterMs: allowed ? 0 : retryAfterMs,
  };
  return tool === undefined ? result : { ...result, tool };
}

/**
 * The base of {@link ChargeStamp}: its constructor returns the object it is given, so that the
 * subclass's private field is added to that object rather than to a new one.
 */
class OnObject {
  constructor(target: object) {
    return target as OnObject;
  }
}

/**
 * Where an allowed result keeps what `refund()` needs (the charge behind it): a private class
 * field stamped onto the result object itself. Results stay plain data: their prototype is
 * `Object.prototype` and the field is invisible to every reflection (keys, spread, `structuredClone`,
 * JSON, `util.inspect`, test equality), so a copied or forged object carries nothing, and the
 * charge goes when its result is collected.
 *
 * A WeakMap from result to charge would do the same, but its `set` for a fresh key costs far more
 * than the check itself (hundreds of ns, mostly in the garbage collector's ephemeron work), and an
 * in-process check must stay cheaper than that.
 */
export class ChargeStamp extends OnObject {
  #charge: unknown;

  /** Stamps `charge` onto `target`, a fresh result {@link storeResult} built. */
  constructor(target: object, charge: unknown) {
    super(target);
    this.#charge = charge;
  }

  /** The charge stamped onto `result` and not cleared since; `undefined` for anything else. */
  static read<Charge>(result: unknown): Charge | undefined {
    if (typeof result !== "object" || result === null || !(#charge in result)) return undefined;
    return result.#charge as Charge | undefined;
  }

  /** Forgets the charge of a stamped `result`: it is never read again. */
  static clear(result: object): void {
    if (#charge in result) result.#charge = undefined;
  }
}
