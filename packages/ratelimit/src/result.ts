import type { LimitSet, NamedRule } from "./limit-set";
import type { CheckReply } from "./script-args";
import type { RateLimitReason, RateLimitResult } from "./types";

/**
 * One result from a check reply (`[allowed, now, ...per rule: remaining, retry, reset]`).
 * Denied: the rule that holds the call back longest speaks for it. Allowed: the one with the
 * least room left.
 */
export function storeResult(
  set: LimitSet,
  reply: CheckReply,
  reason: RateLimitReason,
  now: number,
): RateLimitResult {
  const allowed = reply[0] === 1;
  // Rule i's remaining, retry after and reset after sit at 2 + 3i, 3 + 3i and 4 + 3i.
  const at = (i: number, field: 0 | 1 | 2): number => reply[2 + 3 * i + field] as number;
  let binding = 0;
  let resetAfterMs = 0;
  for (let i = 0; i < set.rules.length; i++) {
    if (allowed ? at(i, 0) < at(binding, 0) : at(i, 1) > at(binding, 1)) binding = i;
    resetAfterMs = Math.max(resetAfterMs, at(i, 2));
  }
  const rule = set.rules[binding] as NamedRule;
  return {
    allowed,
    reason,
    rule: rule.name,
    limit: rule.limit,
    windowMs: rule.windowMs,
    remaining: at(binding, 0),
    // Whole ms, rounded up like retryAfterMs: the limiter's clock may be fractional (the default
    // one is), and at the time reported every limit must really be available again.
    resetAtMs: Math.ceil(now + resetAfterMs),
    retryAfterMs: allowed ? 0 : at(binding, 1),
  };
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
): RateLimitResult {
  const rule = set.rules[0] as NamedRule;
  return {
    allowed,
    reason: "degraded",
    rule: rule.name,
    limit: rule.limit,
    windowMs: rule.windowMs,
    remaining: 0,
    resetAtMs: Math.ceil(now),
    retryAfterMs: allowed ? 0 : retryAfterMs,
  };
}
