import { createManualClock, type ManualClock } from "@mcp-persist/cache-core/testing";
import fc from "fast-check";
import type { AlgorithmName, RateLimiter } from "../../src/index";
import { createRateLimiter } from "../../src/index";
import { PATIENT, type StoreKind } from "./stores";

/** A limit and a sequence of calls to one key: wait `advanceMs`, then check with `cost`. */
export interface Traffic {
  limit: number;
  windowMs: number;
  calls: { advanceMs: number; cost: number }[];
}

/** Random traffic: short gaps (bursts), gaps near the window, and the occasional long idle. */
export const traffic: fc.Arbitrary<Traffic> = fc
  .record({ limit: fc.integer({ min: 1, max: 8 }), windowMs: fc.integer({ min: 20, max: 3000 }) })
  .chain(({ limit, windowMs }) =>
    fc.record({
      limit: fc.constant(limit),
      windowMs: fc.constant(windowMs),
      calls: fc.array(
        fc.record({
          advanceMs: fc.oneof(
            fc.integer({ min: 0, max: 3 }),
            fc.integer({ min: 0, max: Math.ceil(windowMs / 4) }),
            fc.integer({ min: 0, max: 2 * windowMs }),
          ),
          cost: fc.integer({ min: 1, max: limit }),
        }),
        { minLength: 1, maxLength: 40 },
      ),
    }),
  );

/** Fewer runs on Redis, where each call is a round trip; the Lua/JS parity test covers the rest. */
export function runsOn(kind: StoreKind): number {
  return kind.redis ? 15 : 60;
}

/** A limiter on a fresh store whose scripts read `clock` (an lruStore on it, or Redis with injected time). */
export function clockedLimiter(
  kind: StoreKind,
  algorithm: AlgorithmName,
  rule: { limit: number; windowMs: number },
): { limiter: RateLimiter; clock: ManualClock } {
  const clock = createManualClock();
  const limiter = createRateLimiter({
    ...PATIENT,
    store: kind.open({ clock }),
    algorithm,
    ...rule,
    clock,
    prefix: crypto.randomUUID(),
  });
  return { limiter, clock };
}

/** What was admitted, for checking a limiter against its documented bounds. */
export class Admissions {
  readonly #units: number[] = [];

  add(at: number, cost: number): void {
    for (let i = 0; i < cost; i++) this.#units.push(at);
  }

  /** Units admitted at times in `(from, to]`. */
  between(from: number, to: number): number {
    return this.#units.filter((at) => at > from && at <= to).length;
  }

  /** The most units admitted in any span `(t - windowMs, t]`: the worst case is a span ending at an admission. */
  maxInAnySpan(windowMs: number): number {
    return Math.max(0, ...this.#units.map((end) => this.between(end - windowMs, end)));
  }
}

/**
 * Limiters on one fresh store, one per rule, sharing a prefix and so their keys: what a rolling
 * deploy that changes a limit runs, old and new processes side by side.
 */
export function sharedKeyLimiters(
  kind: StoreKind,
  algorithm: AlgorithmName,
  rules: readonly { limit: number; windowMs: number }[],
): { limiters: RateLimiter[]; clock: ManualClock; prefix: string } {
  const clock = createManualClock();
  const store = kind.open({ clock });
  const prefix = crypto.randomUUID();
  const limiters = rules.map((rule) =>
    createRateLimiter({ ...PATIENT, store, algorithm, ...rule, clock, prefix }),
  );
  return { limiters, clock, prefix };
}
