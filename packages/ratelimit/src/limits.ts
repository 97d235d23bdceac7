import { knownOptions, optionNames } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";
import { invalidOption, RateLimitCostError } from "./errors";
import type { CheckOptions } from "./types";

/** One limit: at most `limit` units of cost per `windowMs` milliseconds. */
export interface LimitRule {
  /** Units allowed per window (a call costs 1 unless `check()` says otherwise); a positive integer. */
  limit: number;
  /** The window in whole milliseconds; a positive integer, e.g. `60_000` for "per minute". */
  windowMs: number;
}

/**
 * Largest limit. The sliding-window counter packs two counts of 25 bits into one Redis integer
 * (that is what keeps it under 128 bytes a key); no per-caller tool limit comes near it.
 */
export const MAX_LIMIT = 2 ** 25 - 1;

/** Largest window, about 34 years: GCRA works in microseconds, which must stay exact in a double. */
export const MAX_WINDOW_MS = 2 ** 40;

/**
 * Largest `limit × windowMs`. Lua numbers are doubles: the counter's arithmetic stays exact (and
 * identical in Lua and JS) only while its products stay well below 2^53.
 */
export const MAX_LIMIT_TIMES_WINDOW = 2 ** 50;

/** The names of a rule's options, for a limiter's own options too (`createRateLimiter({ limit, windowMs })`). */
export const RULE_OPTION_NAMES = optionNames<LimitRule>({ limit: true, windowMs: true });
const ruleNames = knownOptions(invalidOption, RULE_OPTION_NAMES);

/** Checks one rule; `name` is how the message refers to it (`limit`, `perCaller.limit`, ...). */
export function validateRule(rule: LimitRule, name?: string): LimitRule {
  const at = name === undefined ? "" : `${name}.`;
  if (typeof rule !== "object" || rule === null) {
    throw invalidOption(`${name ?? "the limit"} must be { limit, windowMs }, got ${describeValue(rule)}`);
  }
  if (name !== undefined) ruleNames(rule, name);
  integerOption(`${at}limit`, rule.limit, MAX_LIMIT);
  integerOption(`${at}windowMs`, rule.windowMs, MAX_WINDOW_MS);
  if (rule.limit * rule.windowMs > MAX_LIMIT_TIMES_WINDOW) {
    throw invalidOption(
      `${at}limit × ${at}windowMs must be at most 2^50, got ${rule.limit} × ${rule.windowMs}; use a shorter window with a proportionally smaller limit`,
    );
  }
  return { limit: rule.limit, windowMs: rule.windowMs };
}

/** Throws `InvalidOptionError` unless `value` is an integer in `1..max`. */
export function integerOption(name: string, value: unknown, max: number): number {
  if (!isPositiveInteger(value)) {
    throw invalidOption(`${name} must be a positive integer, got ${describeValue(value)}`);
  }
  if (value > max) throw invalidOption(`${name} must be at most ${max}, got ${value}`);
  return value;
}

/**
 * The cost of one `check()`: 1 when its options or their `cost` are left out (`undefined`), else
 * the cost given, checked. `null` is not "left out": `cost: null` is refused, not read as 1.
 */
export function costOf(options: CheckOptions | undefined, smallestLimit: number): number {
  if (options === undefined) return 1;
  if (typeof options !== "object" || options === null) {
    throw new RateLimitCostError(
      `check() takes the cost in its options, e.g. check(key, { cost: 2 }), got ${describeValue(options)}`,
    );
  }
  return options.cost === undefined ? 1 : validateCost(options.cost, smallestLimit);
}

/**
 * Checks a call's cost against the smallest limit it is charged to: a cost above it could never
 * be allowed, which is a bug in the caller, not a rate limit.
 */
export function validateCost(cost: unknown, smallestLimit: number): number {
  if (!isPositiveInteger(cost)) {
    throw new RateLimitCostError(`cost must be a positive integer, got ${describeValue(cost)}`);
  }
  if (cost > smallestLimit) {
    throw new RateLimitCostError(
      `cost ${cost} exceeds the limit of ${smallestLimit}, so the call could never be allowed; lower the cost or raise the limit`,
    );
  }
  return cost;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}
