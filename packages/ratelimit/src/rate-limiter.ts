import type { AlgorithmName } from "./algorithms";
import { SingleKeys } from "./key-memo";
import { LimitSet } from "./limit-set";
import { LimiterCore } from "./limiter-core";
import { costOf, type LimitRule, RULE_OPTION_NAMES, validateRule } from "./limits";
import { resolveLimiterOptions } from "./resolve-options";
import type { CheckOptions, LimiterOptions, RateLimitResult, Refunds } from "./types";

/** Options of {@link createRateLimiter}: one limit, on keys you choose. */
export interface RateLimiterOptions extends LimiterOptions, LimitRule {}

/** One limit on keys you choose. */
export interface RateLimiter extends Refunds {
  readonly algorithm: AlgorithmName;
  readonly limit: number;
  readonly windowMs: number;
  /**
   * Checks and, if allowed, charges `key` (any string: it is escaped into one key segment). One
   * round trip. Never rejects for a store failure; see `reason`.
   * @throws {RateLimitCostError} for a cost that is not a positive integer up to the limit.
   */
  check(key: string, options?: CheckOptions): Promise<RateLimitResult>;
}

/**
 * A limiter with one limit per key: at most `limit` units per `windowMs` for each key.
 *
 * ```ts
 * const limiter = createRateLimiter({ store, limit: 5, windowMs: 60_000 });
 * const { allowed, retryAfterMs } = await limiter.check(`send_email:${userId}`);
 * ```
 * @throws {InvalidOptionError} for an option outside its documented range.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const resolved = resolveLimiterOptions(options, RULE_OPTION_NAMES);
  const rule = validateRule({ limit: options.limit, windowMs: options.windowMs });
  const set = new LimitSet([{ ...rule, name: "default" }], () => "");
  const core = new LimiterCore(resolved, set);
  const keys = new SingleKeys(resolved.keyBase);
  return {
    algorithm: resolved.algorithm.name,
    ...rule,
    check(key, checkOptions) {
      // Not async: an in-process store's answer is already here, and one resolved promise carries
      // it. What a bad argument throws still arrives as a rejection, as from an async function.
      try {
        const cost = costOf(checkOptions, rule.limit);
        return Promise.resolve(core.check(keys.of(key), cost, undefined));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    refund: (result) => core.refund(result),
  };
}
