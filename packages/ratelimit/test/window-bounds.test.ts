import { useRedis } from "@mcp-persist/test-kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storeKinds } from "./support/stores";
import { Admissions, clockedLimiter, runsOn, traffic } from "./support/traffic";

const redis = useRedis();

describe.each(storeKinds(redis))("documented bounds on $name, with a controlled clock", (kind) => {
  it("sliding-window: at most limit per aligned window and 2 × limit - 1 per span; allows while both windows fit", async () => {
    await fc.assert(
      fc.asyncProperty(traffic, async ({ limit, windowMs, calls }) => {
        const { limiter, clock } = clockedLimiter(kind, "sliding-window", { limit, windowMs });
        const admitted = new Admissions();
        for (const { advanceMs, cost } of calls) {
          clock.advance(advanceMs);
          const now = clock.now();
          const slotStart = now - (now % windowMs);
          const current = admitted.between(slotStart - 1, now);
          const previous = admitted.between(slotStart - windowMs - 1, slotStart - 1);
          const result = await limiter.check("k", { cost });
          if (previous + current + cost <= limit) expect(result.allowed).toBe(true);
          if (current + cost > limit) expect(result.allowed).toBe(false);
          if (result.allowed) admitted.add(now, cost);
        }
        expect(admitted.maxInAnySpan(windowMs)).toBeLessThanOrEqual(2 * limit - 1);
      }),
      { numRuns: runsOn(kind) },
    );
  });

  it("sliding-window: the 2 × limit - 1 bound is reached by a burst at the end of a window", async () => {
    const { limiter, clock } = clockedLimiter(kind, "sliding-window", { limit: 10, windowMs: 1000 });
    clock.advance(1000 - (clock.now() % 1000) - 1); // the last ms of an aligned window
    const admitted = new Admissions();
    const burst = await Promise.all(Array.from({ length: 10 }, () => limiter.check("k")));
    admitted.add(clock.now(), burst.filter((result) => result.allowed).length);
    for (let step = 0; step < 99; step++) {
      clock.advance(10);
      if ((await limiter.check("k")).allowed) admitted.add(clock.now(), 1);
    }
    expect(admitted.maxInAnySpan(1000)).toBe(19);
  });

  it("gcra: bursts of at most limit, at most 2 × limit - 1 per span, a full burst again after windowMs + 1 idle", async () => {
    await fc.assert(
      fc.asyncProperty(traffic, async ({ limit, windowMs, calls }) => {
        const { limiter, clock } = clockedLimiter(kind, "gcra", { limit, windowMs });
        const admitted = new Admissions();
        for (const { advanceMs, cost } of calls) {
          clock.advance(advanceMs);
          const now = clock.now();
          const idle = admitted.between(now - windowMs - 1, now) === 0;
          const result = await limiter.check("k", { cost });
          if (idle) expect(result.allowed).toBe(true);
          if (result.allowed) admitted.add(now, cost);
          expect(admitted.between(now - 1, now)).toBeLessThanOrEqual(limit);
        }
        expect(admitted.maxInAnySpan(windowMs)).toBeLessThanOrEqual(2 * limit - 1);
      }),
      { numRuns: runsOn(kind) },
    );
  });

  it.each(["sliding-log", "sliding-window", "gcra"] as const)(
    "%s: retryAfterMs is exact: the same call is still denied 1 ms earlier and allowed then",
    async (algorithm) => {
      await fc.assert(
        fc.asyncProperty(traffic, async ({ limit, windowMs, calls }) => {
          const { limiter, clock } = clockedLimiter(kind, algorithm, { limit, windowMs });
          for (const { advanceMs, cost } of calls) {
            clock.advance(advanceMs);
            const denied = await limiter.check("k", { cost });
            if (denied.allowed) continue;
            expect(denied.retryAfterMs).toBeGreaterThanOrEqual(1);
            clock.advance(denied.retryAfterMs - 1);
            expect((await limiter.check("k", { cost })).allowed).toBe(false);
            clock.advance(1);
            expect(await limiter.check("k", { cost })).toMatchObject({ allowed: true, retryAfterMs: 0 });
          }
        }),
        { numRuns: runsOn(kind) },
      );
    },
  );
});
